"""From tables to deep RL (从表格到深度强化学习): value-function approximation, DQN and policy gradient, in the Chinese articles' terms."""

ZH = {
    "Shown: the default run (TD-linear, 100 episodes, seed 0) at its end. Press Run to watch it learn.":
        "图中是默认运行（TD-linear，100 个回合，随机种子 0）结束时的结果。按“运行”观看它的学习过程。",
    'Learning rate':
        '学习率',
    'Critic learning rate':
        '评论家的学习率',
    'Budget: {unit} (≤ {max:,})':
        '预算：{unit}（≤ {max:,}）',
    'Episodes':
        '回合数',
    'update':
        '更新',
    'Choose one of {names} (got {name!r}).':
        '请从 {names} 中选择一个（当前为 {name!r}）。',
    'Updates':
        '更新次数',
    'Feature order':
        '特征阶数',
    'starting':
        '开始……',
    'stopped.':
        '已停止。',
    'Features φ(s)':
        '特征 φ(s)',
    'Feature order (1–8)':
        '特征阶数（1–8）',
    "Learning rate α (actor's α_θ for policy gradient)":
        '学习率 α（策略梯度中为演员的 α_θ）',
    "Critic's learning rate α_w":
        '评论家的学习率 α_w',
    'Budget: episodes of 500 steps (≤ {max:,})':
        '预算：回合数，每回合 500 步（≤ {max:,}）',
    'Estimated values and policy':
        '估计的状态值与策略',
    'Error against the known answer':
        '与已知答案的误差',
    "\n### From tables to deep RL (Zhao's book, chapters 8–10)\nA table keeps one number per "
    'state. **Value-function approximation** keeps weights $w$ instead:\n**TD-linear** evaluates a '
    'policy with $\\hat v(s,w)=\\phi(s)^\\top w$ and\n$w \\leftarrow w + \\alpha\\,[r + '
    "\\gamma\\,\\phi(s')^\\top w - \\phi(s)^\\top w]\\,\\phi(s)$; with few features it can "
    'only\nreach the best fit those features allow (the TD fixed point), not $v_\\pi$ '
    "itself.\n**DQN** fits a network $\\hat q(s,a;w)$ to $r + \\gamma \\max_a \\hat q(s',a;w_T)$ "
    'on mini-batches from a **replay\nbuffer**, with a **target network** $w_T$ copied from $w$ '
    'every few updates.\n**Policy gradient** climbs the return directly: $\\theta \\leftarrow '
    '\\theta + \\alpha\\,\\nabla_\\theta \\ln\\pi(a|s,\\theta)\\,\nq_t$, with $q_t$ the '
    "Monte-Carlo return (**REINFORCE**), a Sarsa critic's $\\hat q(s,a)$ (**QAC**) or the TD "
    "error\n$\\delta = r + \\gamma \\hat v(s') - \\hat v(s)$ (**A2C**). DDPG (next tab) is the "
    'last step: a deterministic\nactor $\\mu(s)$ and a DQN-style critic for actions that cannot be '
    'enumerated.\nThe grid shows $\\hat v$ (colours) and the policy (arrows); the curves measure '
    'the error against the values\ncomputed from the model: $v_\\pi$ of the uniform policy for '
    'TD-linear, $v^*$ for the others.\n':
        '\n### 从表格到深度强化学习（赵世钰《强化学习的数学原理》第 8–10 章）\n表格为每个状态存一个数。**值函数近似**改为存储权重 $w$：**TD-linear** 用 '
        '$\\hat v(s,w)=\\phi(s)^\\top w$ 评估一个策略，更新为 $w \\leftarrow w + \\alpha\\,[r + '
        "\\gamma\\,\\phi(s')^\\top w - \\phi(s)^\\top w]\\,\\phi(s)$；特征很少时，它只能达到这些特征所允许的最佳拟合（TD "
        '不动点），而不是 $v_\\pi$ 本身。**DQN** 在从**经验回放**缓冲区取出的小批量数据上，让网络 $\\hat q(s,a;w)$ 拟合 $r + \\gamma '
        "\\max_a \\hat q(s',a;w_T)$，其中**目标网络** $w_T$ 每隔若干次更新从 $w$ 复制一次。**策略梯度**直接沿回报上升的方向更新：$\\theta "
        '\\leftarrow \\theta + \\alpha\\,\\nabla_\\theta \\ln\\pi(a|s,\\theta)\\,\nq_t$，其中 $q_t$ '
        '可以是蒙特卡洛回报（**REINFORCE**）、Sarsa 评论家的 $\\hat q(s,a)$（**QAC**），或时序差分误差 $\\delta = r + \\gamma '
        "\\hat v(s') - \\hat v(s)$（**A2C**）。DDPG（下一个标签页）是最后一步：用确定性的演员 $\\mu(s)$ 和 DQN "
        '式的评论家，处理无法枚举的动作。网格显示 $\\hat v$（颜色）和策略（箭头）；曲线衡量与由模型算出的值之间的误差：TD-linear 对比均匀策略的 $v_\\pi$，其余算法对比 '
        '$v^*$。\n',
    'polynomial':
        '多项式',
    'fourier':
        '傅里叶',
    'one-hot':
        '独热（one-hot）',
    'episodes of 500 steps':
        '回合数，每回合 500 步',
    'mini-batch updates':
        '小批量更新次数',
    'episodes of 50 steps':
        '回合数，每回合 50 步',
    'RMS error to v_π':
        '与 v_π 的均方根误差',
    'max error to v*':
        '与 v* 的最大误差',
    'TD loss':
        'TD 损失',
    'discounted return of the episode':
        '该回合的折扣回报',
}
