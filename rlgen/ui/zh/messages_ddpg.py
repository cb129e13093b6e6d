"""What the DDPG package (确定性策略梯度, TD3, SAC) says when an input is outside what it accepts (``InputError``
templates)."""

ZH = {
    "DDPG has a recipe for {tasks}; got {env_id!r}.": "DDPG 只有这些任务的配方：{tasks}；收到的是 {env_id!r}。",
    "{name} must lie between {low:,} and {high:,} (got {value:,}).": "{name}必须在 {low:,} 到 {high:,} 之间（收到 {value:,}）。",
    "env_id must name a gymnasium environment, e.g. 'Pendulum-v1'.": "env_id 必须是一个 gymnasium 环境名，例如 'Pendulum-v1'。",
    "hidden layer sizes must each lie between 1 and {max_hidden} (got {hidden}).":
        "每个隐藏层的大小都必须在 1 到 {max_hidden} 之间（收到 {hidden}）。",
    "gamma (discount) must lie in [0, 1) (got {gamma:g}).": "gamma（折扣因子）必须在 [0, 1) 内（收到 {gamma:g}）。",
    "tau (soft-update rate) must lie in (0, 1] (got {tau:g}).": "tau（软更新系数）必须在 (0, 1] 内（收到 {tau:g}）。",
    "batch_size ({batch_size}) cannot exceed the replay buffer ({buffer_size}).":
        "batch_size（{batch_size}）不能超过经验回放缓冲区（{buffer_size}）。",
    "learning_starts ({learning_starts}) must be at least batch_size ({batch_size}) so the first batch can be drawn.":
        "learning_starts（{learning_starts}）必须不小于 batch_size（{batch_size}），这样才能抽出第一批样本。",
    "warmup must be one of {warmups} (got {warmup!r}).": "warmup 必须是 {warmups} 之一（收到 {warmup!r}）。",
    "noise must be one of {noises} (got {noise!r}).": "noise 必须是 {noises} 之一（收到 {noise!r}）。",
    "ou_theta must lie in (0, 10] and ou_dt in (0, 1].": "ou_theta 必须在 (0, 10] 内，ou_dt 必须在 (0, 1] 内。",
    "No DDPG agent in {directory} (expected {weights} and {config}).":
        "{directory} 中没有 DDPG 智能体（应有 {weights} 和 {config}）。",
    "{name} must be a finite number (got {value}).": "{name}必须是有限数（收到 {value}）。",
    "{name} (learning rate) must be positive and at most 1 (got {value:g}).": "{name}（学习率）必须为正且不超过 1（收到 {value:g}）。",
    "{name} must lie between 0 and 10 (got {value:g}).": "{name}必须在 0 到 10 之间（收到 {value:g}）。",
    "No drawing for {env_id}; the animation knows Pendulum and MountainCar.":
        "无法绘制 {env_id}；动画只支持 Pendulum 和 MountainCar。",
    "Pick at least one algorithm to train.": "请至少选择一个要训练的算法。",
    "Unknown algorithm {unknown!r}; choose from {algorithms}.": "未知算法 {unknown!r}；请从 {algorithms} 中选择。",
    "alpha (entropy temperature) must be positive and at most 100 (got {alpha:g}).":
        "alpha（熵温度系数）必须为正且不超过 100（收到 {alpha:g}）。",
    "alpha_lr (temperature learning rate) must be positive and at most 1 (got {alpha_lr:g}).":
        "alpha_lr（温度系数的学习率）必须为正且不超过 1（收到 {alpha_lr:g}）。",
    "target_entropy must lie between −100 and 100 (got {target_entropy}).":
        "target_entropy（目标熵）必须在 −100 到 100 之间（收到 {target_entropy}）。",
    "policy_noise (target smoothing σ) must lie between 0 and 10 (got {policy_noise:g}).":
        "policy_noise（目标策略平滑的 σ）必须在 0 到 10 之间（收到 {policy_noise:g}）。",
    "noise_clip must lie between 0 and 10 (got {noise_clip:g}).": "noise_clip（噪声裁剪）必须在 0 到 10 之间（收到 {noise_clip:g}）。",
    "DDPG needs continuous (Box) actions; {env_id} has {action_space}.":
        "DDPG 需要连续（Box）动作空间；{env_id} 的动作空间是 {action_space}。",
    "DDPG here needs a flat Box observation; {env_id} has {observation_space}.":
        "这里的 DDPG 需要扁平的 Box 观测空间；{env_id} 的观测空间是 {observation_space}。",
    "Cannot make the gymnasium environment {env_id!r}: {exc}": "无法创建 gymnasium 环境 {env_id!r}：{exc}",
    "noise must be 'gaussian', 'ou' or None (got {noise!r}).": "noise 必须是 'gaussian'（高斯）、'ou' 或 None（收到 {noise!r}）。",
}
