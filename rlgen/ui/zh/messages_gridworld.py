"""What the grid-world package (网格世界) says when an input is outside what it accepts (``InputError`` templates)."""

ZH = {
    "Unknown algorithm {key!r}; choose one of: {algorithms}.": "未知算法 {key!r}；请从以下算法中选择：{algorithms}。",
    "Features must be one of {features} (got {kind!r}).": "特征必须是 {features} 之一（收到 {kind!r}）。",
    "The feature order must be a whole number from 1 to {max_order} (got {order}).":
        "特征阶数必须是 1 到 {max_order} 之间的整数（收到 {order}）。",
    "TD-linear diverged at episode {k}: lower the learning rate α (now {alpha:g}).":
        "线性 TD 在第 {k} 回合发散：请降低学习率 α（当前为 {alpha:g}）。",
    "The batch ({batch_size}) cannot be larger than the replay buffer ({experience} transitions).":
        "批大小（{batch_size}）不能超过经验回放缓冲区（{experience} 条转移）。",
    "{name} must be a whole number from {low:,} to {high:,} (got {value}).":
        "{name}必须是 {low:,} 到 {high:,} 之间的整数（收到 {value}）。",
    "DQN diverged at update {k}: lower the learning rate (now {lr:g}).":
        "DQN 在第 {k} 次更新时发散：请降低学习率（当前为 {lr:g}）。",
    "The grid is {rows}×{cols}; the browser playground is capped at {max_side}×{max_side}.":
        "网格为 {rows}×{cols}；浏览器演示最大支持 {max_side}×{max_side}。",
    "Every cell is forbidden: clear at least one cell and mark a target.": "所有格子都是禁区：请至少清除一个格子，并标记一个目标。",
    "The grid has no target: click a forbidden cell to turn it into the target.":
        "网格没有目标格：点击一个禁区格子，把它变成目标。",
    "The grid has {n_targets} targets ({shown}); it needs exactly one — click the extra ones to clear them.":
        "网格有 {n_targets} 个目标（{shown}）；只能有一个——点击多余的目标把它们清除。",
    "The number of {name} must be a whole number from 2 to {max_side} (got {value}); the grid is capped at "
    "{max_side}×{max_side} in the browser.":
        "{name}必须是 2 到 {max_side} 之间的整数（收到 {value}）；浏览器中的网格最大为 {max_side}×{max_side}。",
    "{name} must be a number between −{reward_limit:g} and {reward_limit:g} (got {value}).":
        "{name}必须是 −{reward_limit:g} 到 {reward_limit:g} 之间的数（收到 {value}）。",
    "The grid needs at least one row and one column (got {rows}×{cols}).": "网格至少需要一行一列（收到 {rows}×{cols}）。",
    "The grid has no target: mark exactly one cell as the target.": "网格没有目标格：请把恰好一个格子标记为目标。",
    "Cell {cell} cannot be both the target and forbidden.": "格子 {cell} 不能既是目标又是禁区。",
    "render_mode must be None or 'rgb_array' (got {render_mode!r}).":
        "render_mode 必须是 None 或 'rgb_array'（收到 {render_mode!r}）。",
    "The {what} {cell} lies outside the {rows}×{cols} grid.": "{what} {cell} 位于 {rows}×{cols} 网格之外。",
    "A dense P for {rows}×{cols} would hold {entries:,} numbers; use `next_state` (S×A), the same model stored "
    "sparsely.":
        "{rows}×{cols} 网格的稠密转移矩阵 P 将有 {entries:,} 个数；请使用 `next_state`（S×A），即以稀疏方式存储的同一模型。",
    "Action {action} is not one of 0..{last_action} ({actions}).": "动作 {action} 不在 0..{last_action}（{actions}）之中。",
    "{name} must be a finite number (got {value}).": "{name}必须是有限数（收到 {value}）。",
    "Unknown distribution {name!r}; choose coin, uniform, gaussian or exponential.":
        "未知分布 {name!r}；请选择 coin（硬币）、uniform（均匀）、gaussian（高斯）或 exponential（指数）。",
    "Unknown step-size schedule {schedule!r}; choose one_over_k, power or constant.":
        "未知步长方案 {schedule!r}；请选择 one_over_k、power 或 constant。",
    "The number of samples must be a whole number from 1 to {max_samples:,} (got {n}).":
        "样本数必须是 1 到 {max_samples:,} 之间的整数（收到 {n}）。",
    "The coin's P(+1) must lie in [0, 1] (got {p}).": "硬币的 P(+1) 必须在 [0, 1] 内（收到 {p}）。",
    "The constant step size α must lie in (0, 1] (got {alpha}).": "常数步长 α 必须在 (0, 1] 内（收到 {alpha}）。",
    "Episode length must be a whole number from 1 to {max_episode_length:,} (got {episode_length}).":
        "回合长度必须是 1 到 {max_episode_length:,} 之间的整数（收到 {episode_length}）。",
    "The number of {what} must be a whole number from 1 to {max_iterations:,} (got {iterations}).":
        "{what}必须是 1 到 {max_iterations:,} 之间的整数（收到 {iterations}）。",
    "ε must lie in [0, 1] (got {epsilon}).": "ε 必须在 [0, 1] 内（收到 {epsilon}）。",
    "MC Basic runs one episode from each of the {pairs:,} state–action pairs: with episodes of {episode_length:,} "
    "steps that is {steps:,} steps per iteration, above the cap of {max_mc_basic_steps:,}. Shorten the episodes or "
    "the grid.":
        "MC Basic 从全部 {pairs:,} 个状态-动作对各出发运行一个回合：回合长度为 {episode_length:,} 步时，每次迭代需要 "
        "{steps:,} 步，超过了上限 {max_mc_basic_steps:,}。请缩短回合或缩小网格。",
    "γ must lie in [0, 1) (got {gamma}): the grid world is a continuing task, so with γ ≥ 1 the discounted return "
    "diverges.":
        "γ 必须在 [0, 1) 内（收到 {gamma}）：网格世界是持续性任务，γ ≥ 1 时折扣回报会发散。",
    "A policy is S×A = {n_states}×{n_actions} (got {shape}).": "策略的形状应为 S×A = {n_states}×{n_actions}（收到 {shape}）。",
    "Each row of the policy must be probabilities that sum to 1.": "策略的每一行都必须是和为 1 的概率。",
    "j_truncate must be a whole number ≥ 1 (got {j_truncate}).": "j_truncate 必须是 ≥ 1 的整数（收到 {j_truncate}）。",
    "method must be 'closed_form' or 'iterative' (got {method!r}).":
        "method 必须是 'closed_form'（闭式解）或 'iterative'（迭代）（收到 {method!r}）。",
    "The preferences overflowed at episode {k}: lower the learning rate (now {alpha:g}).":
        "偏好值在第 {k} 回合溢出：请降低学习率（当前为 {alpha:g}）。",
    "The actor-critic must be one of {actor_critics} (got {variant!r}).": "Actor-Critic 必须是 {actor_critics} 之一（收到 {variant!r}）。",
    "The {name} must lie in (0, 1] (got {alpha}).": "{name}必须在 (0, 1] 内（收到 {alpha}）。",
    "n must be a whole number from 1 to {max_n_step} (got {n}).": "n 必须是 1 到 {max_n_step} 之间的整数（收到 {n}）。",
    # the names the checks above put into {name} and {what}
    "learning rate": "学习率",
    "learning rate α": "学习率 α",
    "actor's learning rate α_θ": "Actor 的学习率 α_θ",
    "critic's learning rate α_w": "Critic 的学习率 α_w",
    "rows": "行数",
    "columns": "列数",
    "iterations": "迭代次数",
    "episodes": "回合数",
    "target": "目标格",
    "forbidden cell": "禁区格",
    "start": "起点",
}
