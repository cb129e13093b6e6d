"""DDPG control (DDPG 连续控制): 确定性策略梯度, 演员-评论家, 经验回放, 目标网络, in the Chinese terms."""

from rlgen.ui.i18n import joined

ZH = {
    "Shown: the shipped agent's own training run. Press Start to train one live.": "图中是随附智能体自己的训练过程。按“开始”即可现场训练一个。",
    # names of the numbers the tab checks (the check's message is shared)
    "Noise σ": "噪声 σ",
    "Training steps": "训练步数",
    "Warm-up steps": "预热步数",
    "Steps per algorithm": "每个算法的步数",
    """
**Deep Deterministic Policy Gradient** learns a deterministic actor μ(s) — a torque, not a distribution over
torques — and a critic Q(s, a) from a replay buffer of past transitions.
The critic regresses on the target **y = r + γ (1 − d) Q′(s′, μ′(s′))**, where the primed networks are slow copies
updated after every step by **θ′ ← τ θ + (1 − τ) θ′**; a time-limit cut is not a terminal (d = 0).
The actor climbs the critic: **∇J ≈ mean over the batch of ∇ₐQ(s, a)|ₐ₌μ(s) · ∇μ(s)**.
Exploration adds Gaussian or Ornstein–Uhlenbeck noise to μ(s); evaluation uses μ(s) alone.
Pendulum counts as solved at a mean return of −200 over 10 episodes; MountainCar at +90.
""": """
**深度确定性策略梯度（DDPG）** 学习一个确定性的演员 μ(s) —— 输出一个力矩，而不是力矩上的分布 ——
以及一个评论家 Q(s, a)，训练数据来自存放过往转移的经验回放缓冲区。
评论家回归到目标 **y = r + γ (1 − d) Q′(s′, μ′(s′))**，其中带撇号的是目标网络：缓慢跟随的副本，
每一步之后按 **θ′ ← τ θ + (1 − τ) θ′** 更新；因时间上限而截断的回合不算终止（d = 0）。
演员沿着评论家爬升：**∇J ≈ 对批内求平均的 ∇ₐQ(s, a)|ₐ₌μ(s) · ∇μ(s)**。
探索时在 μ(s) 上加高斯噪声或 Ornstein–Uhlenbeck 噪声；评估时只用 μ(s)。
Pendulum 在 10 个回合上的平均回报达到 −200 即算解决；MountainCar 的标准是 +90。
""",
    """
**TD3** (Fujimoto et al., 2018) keeps DDPG's deterministic actor but fights its critic's over-estimation:
two critics and the smaller target **y = r + γ (1 − d) min(Q′₁, Q′₂)(s′, ã′)**, a smoothed target action
**ã′ = clip(μ′(s′) + clip(ε, −c, c))**, and an actor that moves only every second critic step.
**SAC** (Haarnoja et al., 2018) learns a stochastic squashed-Gaussian policy that maximises return plus entropy,
**y = r + γ (1 − d)(min Q′(s′, a′) − α log π(a′|s′))**, and tunes α so the entropy stays near −dim A.
All three share the replay buffer, the budget and the seed. The over-estimation view sets the critic's
**Q(s, μ(s))** against the discounted return **G** that μ then actually collects from the same states (the first
half of each evaluation episode). For SAC, Q is a *soft* value (it counts future entropy bonuses), so its gap is
not a pure bias.
""": """
**TD3**（Fujimoto 等，2018）保留 DDPG 的确定性演员，但抑制评论家的高估：
用两个评论家并取较小的目标 **y = r + γ (1 − d) min(Q′₁, Q′₂)(s′, ã′)**，对目标动作做平滑
**ã′ = clip(μ′(s′) + clip(ε, −c, c))**，并且评论家每更新两次，演员才更新一次。
**SAC**（Haarnoja 等，2018）学习一个随机的压缩高斯（squashed Gaussian）策略，最大化回报加熵，
**y = r + γ (1 − d)(min Q′(s′, a′) − α log π(a′|s′))**，并自动调节 α，使熵保持在 −dim A 附近。
三者共用同样的经验回放缓冲区、训练预算和种子。高估视图把评论家的 **Q(s, μ(s))** 与 μ 从同样的状态出发
实际拿到的折扣回报 **G** 放在一起比较（取每个评估回合的前一半）。对 SAC 而言，Q 是*软*值
（它计入了未来的熵奖励），所以它的差距并不完全是偏差。
""",
    # headings and controls
    "### DDPG, TD3 and SAC side by side on Pendulum": "### DDPG、TD3 与 SAC 在 Pendulum 上并排对比",
    "Algorithms": "算法",
    "Steps per algorithm (1,000 to {n:,})": "每个算法的步数（1,000 到 {n:,}）",
    "Train side by side": "并排训练",
    "Stop side by side": "停止并排训练",
    "Side-by-side status": "并排训练状态",
    "Evaluation return": "评估回报",
    "Critic estimate vs the return actually obtained": "评论家的估计与实际获得的回报",
    "Environment": "环境",
    "### Watch the trained agent": "### 观看训练好的智能体",
    "shipped agent": "随项目发布的智能体",
    "my live-trained agent": "我实时训练的智能体",
    "Agent": "智能体",
    "Start-state seed": "初始状态种子",
    "Play an episode": "运行一个回合",
    "Episode (drawn from the state)": "回合动画（由状态绘制）",
    "Action and running return": "动作与累计回报",
    "Actor and critic over the state plane, with this episode's path": "状态平面上的演员与评论家，以及本回合的轨迹",
    "### Deterministic vs noisy policy from the same start state": "### 同一初始状态下的确定性策略与加噪策略",
    "Gaussian": "高斯",
    "Noise": "噪声",
    "Noise σ (fraction of the action range)": "噪声 σ（占动作范围的比例）",
    "Noisy runs": "加噪运行次数",
    "Compare": "比较",
    "Comparison": "对比",
    "### Train live": "### 实时训练",
    "Training steps (≤ {n:,})": "训练步数（≤ {n:,}）",
    "Hidden layers (actor and critic)": "隐藏层（演员与评论家）",
    "Actor learning rate": "演员的学习率",
    "Critic learning rate": "评论家的学习率",
    "γ (discount)": "γ（折扣因子）",
    "τ (soft update)": "τ（软更新系数）",
    "Batch size": "批大小",
    "Replay buffer size": "经验回放缓冲区大小",
    "Warm-up steps (random actions)": "预热步数（随机动作）",
    "Exploration noise": "探索噪声",
    "Start": "开始",
    "Stop": "停止",
    "Status": "状态",
    "Learning curve": "学习曲线",
    "Critic loss and mean Q": "评论家损失与平均 Q",
    "Actor μ(s) and critic Q(s, μ(s)) over (θ, θ̇) or (x, ẋ), updated as it learns":
        "演员 μ(s) 与评论家 Q(s, μ(s)) 在 (θ, θ̇) 或 (x, ẋ) 平面上的分布，随学习实时更新",
    # handlers
    "Choose one of {choices} (got {got!r}).": "请从 {choices} 中选择一个（收到的是 {got!r}）。",
    "You have no live-trained agent yet: start a run under “Train live” first.":
        "你还没有实时训练的智能体：请先在“实时训练”中开始一次训练。",
    "Your live-trained agent is for {env}; switch the environment to it.":
        "你实时训练的智能体属于 {env}；请把环境切换过去。",
    "No shipped agent for {env} ({why}).": "{env} 没有随项目发布的智能体（{why}）。",
    "Your live-trained agent: {updates:,} updates. This episode (start seed {seed}): return {ret:.1f}.":
        "你实时训练的智能体：{updates:,} 次更新。本回合（初始状态种子 {seed}）：回报 {ret:.1f}。",
    "Shipped agent. This episode (start seed {seed}): return {ret:.1f}.":
        "随项目发布的智能体。本回合（初始状态种子 {seed}）：回报 {ret:.1f}。",
    "Shipped agent: `{command}` — {steps:,} steps in {seconds:.0f} s (seed {train_seed}); evaluation over "
    "{episodes} episodes: **{mean:.1f} ± {std:.1f}**. This episode (start seed {seed}): return {ret:.1f}.":
        "随项目发布的智能体：`{command}` —— {steps:,} 步，用时 {seconds:.0f} 秒（种子 {train_seed}）；"
        "{episodes} 个回合的评估：**{mean:.1f} ± {std:.1f}**。本回合（初始状态种子 {seed}）：回报 {ret:.1f}。",
    "Noise must be Gaussian or Ornstein–Uhlenbeck (got {got!r}).":
        "噪声必须是高斯或 Ornstein–Uhlenbeck（收到的是 {got!r}）。",
    "Hidden layers must be one of {choices} (got {got!r}).": "隐藏层必须是 {choices} 之一（收到的是 {got!r}）。",
    " · evaluation {mean:.1f} ± {std:.1f}": " · 评估 {mean:.1f} ± {std:.1f}",
    "done": "完成",
    "stopped": "已停止",
    "training": "训练中",
    " · last episode {ret:.1f}": " · 上一回合 {ret:.1f}",
    "{state}: step {step:,}/{total:,} in {seconds:.1f} s{recent}{ev} · noise σ {noise:.2f} · {updates:,} updates":
        "{state}：第 {step:,}/{total:,} 步，用时 {seconds:.1f} 秒{recent}{ev} · 噪声 σ {noise:.2f} · {updates:,} 次更新",
    "starting: seed {seed}": "开始：种子 {seed}",
    "stopped before the first frame: no agent kept.": "在第一帧之前就停止了：没有保留智能体。",
    "stopped: your agent ({updates:,} updates on {env}) is kept — play it above with “{mine}”.":
        "已停止：你的智能体（在 {env} 上 {updates:,} 次更新）已保留 —— 在上方选“{mine}”即可运行它。",
    ", eval {mean:.1f}": "，评估 {mean:.1f}",
    "{name} step {step:,}{ev}{alpha}": "{name} 第 {step:,} 步{ev}{alpha}",
    "{state} ({total:,} steps each): ": "{state}（每个 {total:,} 步）：",
    "starting: {names} with seed {seed}": "开始：{names}，种子 {seed}",
    "stopped: the curves show the runs so far.": "已停止：曲线显示的是到目前为止的训练。",
}
ZH = {english: joined(chinese) for english, chinese in ZH.items()}  # no stray spaces between Chinese lines
