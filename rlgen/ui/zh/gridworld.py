"""GridWorld (网格世界): tabular RL after Zhao's book, in its Chinese terms."""

ZH = {
    "Planning & learning": "规划与学习",
    "Mean estimation": "均值估计",
    "Status": "状态",
    "Pick an algorithm and press Step or Run.": "选择一个算法，然后按“单步”或“运行”。",
    "Convergence": "收敛过程",
    "Algorithm": "算法",
    "Step": "单步",
    "Run": "运行",
    "Pause": "暂停",
    "Reset": "重置",
    "Stop": "停止",
    "Frames per second": "帧率",
    "Iterations per frame": "每帧迭代",
    "Speed up after {n} frames": "{n} 帧后加速",
    "Walk the current policy from the start cell": "从起点按当前策略走一遍",
    "Grid world (click a cell to edit it)": "网格世界（点击格子可编辑）",
    "Discount γ (must stay below 1)": "折扣因子 γ（必须小于 1）",
    "j: evaluation sweeps per iteration": "j：每次迭代的策略评估轮数",
    "Episode length (≤ 1,000,000)": "回合长度（≤ 1,000,000）",
    "Iterations / episodes (≤ 100,000)": "迭代次数 / 回合数（≤ 100,000）",
    "ε (exploration)": "ε（探索率）",
    "α (learning rate)": "α（学习率）",
    "n (steps before bootstrapping)": "n（自举前的步数）",
    "First-visit (else every-visit)": "首次访问（否则为每次访问）",
    "Edit the grid": "编辑网格",
    "A click sets": "点击设置",
    "cell type": "格子类型",
    "start cell": "起点",
    "cell type cycles normal → forbidden → target → normal": "格子类型按 普通 → 禁止 → 目标 → 普通 循环切换",
    "Rows (2–{max})": "行数（2–{max}）",
    "Columns (2–{max})": "列数（2–{max}）",
    "Apply size and rewards": "应用尺寸与奖励",
    "Book example": "书中的例子",
    "Path-finding rewards": "寻路奖励",
    # check_number's names of the knobs
    "γ": "γ",
    "j (truncation)": "j（截断）",
    "Episode length": "回合长度",
    "Iterations / episodes": "迭代次数 / 回合数",
    "ε": "ε",
    "α": "α",
    "n": "n",
    "Number of samples": "样本数",
    "P(+1)": "P(+1)",
    # status lines
    "Click inside the grid to edit a cell.": "请点击网格内部来编辑格子。",
    "Start cell is now {cell}.": "起点现在是 {cell}。",
    "Cell {cell} is now {kind}.": "格子 {cell} 现在是{kind}。",
    "a target": "目标格",
    "forbidden": "禁止格",
    "normal": "普通格",
    " Before running: {problem}": " 运行前请注意：{problem}",
    "Grid is {rows}×{cols}.": "网格为 {rows}×{cols}。",
    "Loaded the book's 5×5 example.": "已载入书中 5×5 的例子。",
    "Loaded path-finding rewards: each step −1, boundary and forbidden −10, target 0 (TD methods then learn the "
    "shortest path).": "已载入寻路奖励：每走一步 −1，撞边界和进入禁止格 −10，目标 0（时序差分方法由此学到最短路径）。",
    "No iterations yet.": "还没有迭代。",
    " — finished. Reset (or change a setting) to run it again.": " —— 已结束。重置（或修改任一设置）即可重新运行。",
    "Paused before the first iteration.": "在第一次迭代之前暂停。",
    "Paused at step {step}: press Run to go on, Step for one more, Reset to start over.":
        "暂停于第 {step} 步：按“运行”继续，按“单步”再走一步，按“重置”从头开始。",
    "Reset: press Step or Run.": "已重置：请按“单步”或“运行”。",
    "There is no policy yet: press Step or Run first.": "还没有策略：请先按“单步”或“运行”。",
    "iteration k": "迭代 k",
    "episode": "回合",
    # the algorithms
    "Value iteration": "值迭代",
    "Policy iteration": "策略迭代",
    "Truncated policy iteration": "截断策略迭代",
    "MC Basic": "MC Basic（基本蒙特卡洛）",
    "MC Exploring Starts": "MC 探索性开端",
    "MC ε-greedy": "MC ε-贪婪",
    "Sarsa": "Sarsa",
    "n-step Sarsa": "n 步 Sarsa",
    "Q-learning (on-policy)": "Q-learning（同策略）",
    "Q-learning (off-policy)": "Q-learning（异策略）",
    r"**Value iteration.** $v_{k+1}(s) = \max_a \big[r(s,a) + \gamma\, v_k(s')\big]$, and $\pi_{k+1}(s)$ is the "
    r"maximising $a$. A contraction: $\|v_{k+1}-v^*\|_\infty \le \gamma \|v_k - v^*\|_\infty$.":
        r"**值迭代。** $v_{k+1}(s) = \max_a \big[r(s,a) + \gamma\, v_k(s')\big]$，$\pi_{k+1}(s)$ 取使其最大的 $a$。"
        r"这是一个压缩映射：$\|v_{k+1}-v^*\|_\infty \le \gamma \|v_k - v^*\|_\infty$。",
    r"**Policy iteration.** Evaluate exactly, $v_{\pi_k} = (I-\gamma P_{\pi_k})^{-1} r_{\pi_k}$, then improve "
    r"greedily $\pi_{k+1}(s) = \arg\max_a [r(s,a)+\gamma v_{\pi_k}(s')]$. Stops when the policy is stable.":
        r"**策略迭代。** 先精确地做策略评估，$v_{\pi_k} = (I-\gamma P_{\pi_k})^{-1} r_{\pi_k}$，再贪婪地做策略改进，"
        r"$\pi_{k+1}(s) = \arg\max_a [r(s,a)+\gamma v_{\pi_k}(s')]$。策略不再变化时停止。",
    r"**Truncated policy iteration.** Evaluate with $j$ sweeps of $v \leftarrow r_\pi + \gamma P_\pi v$ from the "
    r"last $v$, then improve. $j=1$ is value iteration, $j\to\infty$ policy iteration.":
        r"**截断策略迭代。** 从上一次的 $v$ 出发，做 $j$ 轮 $v \leftarrow r_\pi + \gamma P_\pi v$ 来评估策略，然后改进策略。"
        r"$j=1$ 即值迭代，$j\to\infty$ 即策略迭代。",
    r"**MC Basic.** Policy iteration with $q_{\pi_k}(s,a)$ estimated by the return of an episode that starts with "
    r"$(s,a)$: $g = r_1 + \gamma r_2 + \dots + \gamma^{L-1} r_L$. A state far from the target sees it only once "
    r"the episode length $L$ reaches its shortest path.":
        r"**MC Basic（基本蒙特卡洛）。** 策略迭代，但 $q_{\pi_k}(s,a)$ 用从 $(s,a)$ 出发的一个回合的回报来估计："
        r"$g = r_1 + \gamma r_2 + \dots + \gamma^{L-1} r_L$。离目标远的状态，要等回合长度 $L$ 达到它到目标的最短路径长度，"
        r"才能“看到”目标。",
    r"**MC Exploring Starts.** Each episode starts at a random $(s_0,a_0)$ and follows the greedy policy; "
    r"backwards, $g \leftarrow \gamma g + r_{t+1}$, $q(s_t,a_t) \leftarrow$ mean of its returns, "
    r"$\pi(s_t) = \arg\max_a q(s_t,a)$.":
        r"**MC 探索性开端。** 每个回合从随机的 $(s_0,a_0)$ 开始，之后按贪婪策略行动；从后往前计算 "
        r"$g \leftarrow \gamma g + r_{t+1}$，$q(s_t,a_t) \leftarrow$ 它的各次回报的平均值，"
        r"$\pi(s_t) = \arg\max_a q(s_t,a)$。",
    r"**MC ε-greedy.** Episodes from the start cell under an $\varepsilon$-greedy policy: "
    r"$\pi(a^*|s) = 1-\tfrac{|A|-1}{|A|}\varepsilon$, others $\tfrac{\varepsilon}{|A|}$; $q(s,a)$ = mean of the "
    r"returns that followed $(s,a)$.":
        r"**MC ε-贪婪。** 回合从起点出发，按 $\varepsilon$-贪婪策略行动："
        r"$\pi(a^*|s) = 1-\tfrac{|A|-1}{|A|}\varepsilon$，其余动作各为 $\tfrac{\varepsilon}{|A|}$；"
        r"$q(s,a)$ = $(s,a)$ 之后各次回报的平均值。",
    r"**Sarsa.** $q(s_t,a_t) \leftarrow q(s_t,a_t) - \alpha\big[q(s_t,a_t) - (r_{t+1} + \gamma "
    r"q(s_{t+1},a_{t+1}))\big]$, acting $\varepsilon$-greedily; episodes run from the start cell to the target.":
        r"**Sarsa。** $q(s_t,a_t) \leftarrow q(s_t,a_t) - \alpha\big[q(s_t,a_t) - (r_{t+1} + \gamma "
        r"q(s_{t+1},a_{t+1}))\big]$，按 $\varepsilon$-贪婪策略行动；每个回合从起点走到目标。",
    r"**n-step Sarsa.** Target $r_{t+1} + \gamma r_{t+2} + \dots + \gamma^{n-1} r_{t+n} + \gamma^n "
    r"q(s_{t+n},a_{t+n})$: $n=1$ is Sarsa, $n\to\infty$ Monte Carlo.":
        r"**n 步 Sarsa。** 目标值为 $r_{t+1} + \gamma r_{t+2} + \dots + \gamma^{n-1} r_{t+n} + \gamma^n "
        r"q(s_{t+n},a_{t+n})$：$n=1$ 即 Sarsa，$n\to\infty$ 即蒙特卡洛。",
    r"**Q-learning (on-policy).** $q(s_t,a_t) \leftarrow q(s_t,a_t) - \alpha\big[q(s_t,a_t) - (r_{t+1} + \gamma "
    r"\max_a q(s_{t+1},a))\big]$, behaving $\varepsilon$-greedily in $q$ itself.":
        r"**Q-learning（同策略）。** $q(s_t,a_t) \leftarrow q(s_t,a_t) - \alpha\big[q(s_t,a_t) - (r_{t+1} + \gamma "
        r"\max_a q(s_{t+1},a))\big]$，行为策略就是基于 $q$ 本身的 $\varepsilon$-贪婪策略。",
    r"**Q-learning (off-policy).** The same update, but the data come from a uniformly random behaviour policy; "
    r"the target policy is greedy. With enough exploration $q \to q^*$ of the continuing task.":
        r"**Q-learning（异策略）。** 更新式相同，但数据来自均匀随机的行为策略，目标策略是贪婪策略。"
        r"只要探索充分，$q \to q^*$（持续性任务的最优动作值）。",
    "\n### Tabular reinforcement learning on a grid world\nAn agent moves **up, right, down, left** or **stays**. "
    "Bumping into the boundary costs $r_{boundary}$,\nentering a forbidden (orange) cell costs $r_{forbidden}$, "
    "entering or staying on the target (cyan) earns\n$r_{target}$. Every algorithm below looks for the policy that "
    "maximises the discounted return, whose values\nsolve the **Bellman optimality equation**\n"
    "$v^*(s) = \\max_a \\big[ r(s,a) + \\gamma\\, v^*(s') \\big]$.\nColours are state values, arrows are "
    "$\\pi(a|s)$ (length = probability, a circle = stay), the red line is the\npath the policy takes from the start "
    "cell (or the last sampled episode). Click a cell to edit the grid.\n":
        "\n### 网格世界中的表格型强化学习\n智能体可以向**上、右、下、左**移动，或**原地不动**。撞到边界得到 $r_{boundary}$，"
        "进入禁止格（橙色）得到 $r_{forbidden}$，进入或停留在目标格（青色）得到 $r_{target}$。"
        "下面每个算法都在寻找使折扣回报最大的策略，其状态值满足**贝尔曼最优方程** "
        "$v^*(s) = \\max_a \\big[ r(s,a) + \\gamma\\, v^*(s') \\big]$。颜色表示状态值，箭头表示 "
        "$\\pi(a|s)$（长度 = 概率，圆圈 = 原地不动），红线是策略从起点出发走过的路径（或最近一次采样的回合）。"
        "点击格子即可编辑网格。\n",
    # mean estimation
    r"Estimate $E[X]$ from samples. The **sample mean** $\bar x_k = \frac1k\sum_{i\le k} x_i$ is also the "
    r"incremental update $w_{k+1} = w_k - \alpha_k (w_k - x_k)$ with $\alpha_k = 1/k$ — the simplest "
    r"**Robbins–Monro** algorithm. Other step sizes with $\sum\alpha_k=\infty$, $\sum\alpha_k^2<\infty$ "
    r"(e.g. $k^{-0.6}$) still converge; a constant $\alpha$ keeps forgetting and only hovers. The band is "
    r"the law of large numbers: $\bar x_k$ stays within $\pm 1.96\,\sigma/\sqrt k$ of $E[X]$ about 95% of the time.":
        r"用样本估计 $E[X]$。**样本均值** $\bar x_k = \frac1k\sum_{i\le k} x_i$ 也可以写成增量式更新 "
        r"$w_{k+1} = w_k - \alpha_k (w_k - x_k)$，其中 $\alpha_k = 1/k$ —— 这就是最简单的 **Robbins–Monro** 算法。"
        r"满足 $\sum\alpha_k=\infty$、$\sum\alpha_k^2<\infty$ 的其他步长（如 $k^{-0.6}$）同样收敛；"
        r"常数 $\alpha$ 会不断遗忘旧样本，只能在真值附近徘徊。阴影带来自大数定律：$\bar x_k$ 约有 95% 的时间落在 "
        r"$E[X]$ 的 $\pm 1.96\,\sigma/\sqrt k$ 范围内。",
    "Estimates against the number of samples": "估计值随样本数的变化",
    "Distribution of X": "X 的分布",
    "±1 coin": "±1 硬币",
    "uniform [0, 1]": "均匀分布 [0, 1]",
    "normal(2, 1.5²)": "正态分布 (2, 1.5²)",
    "exponential(1)": "指数分布 (1)",
    "Coin: P(X = +1)": "硬币：P(X = +1)",
    "Samples (≤ 1,000,000)": "样本数（≤ 1,000,000）",
    "Incremental step size": "增量更新的步长",
    "constant α": "常数 α",
    "Constant α": "常数 α",
    "Sample and estimate": "采样并估计",
    "k = {k:,}: sample mean {mean:.4f}, incremental {incremental:.4f}, E[X] = {true:g}, LLN half-width {band:.4f}":
        "k = {k:,}：样本均值 {mean:.4f}，增量估计 {incremental:.4f}，E[X] = {true:g}，大数定律置信带半宽 {band:.4f}",
}
