"""Texts of the figures the grid-world package draws (titles, axes, legends): 状态值, 值迭代, 蒙特卡洛, 均值估计."""

ZH = {
    "episode length": "回合长度",
    "discounted return": "折扣回报",
    "states whose action changed": "动作发生变化的状态数",
    "distance to the optimal values ‖v_k − v*‖∞": "与最优状态值的距离 ‖v_k − v*‖∞",
    "episode length and discounted return": "回合长度与折扣回报",
    "policy changes per iteration": "每次迭代的策略变化",
    "LLN band μ ± 1.96σ/√k": "大数定律区间 μ ± 1.96σ/√k",
    "samples x_k": "样本 x_k",
    "sample mean x̄_k": "样本均值 x̄_k",
    "incremental w_k (Robbins–Monro)": "增量式 w_k（Robbins–Monro）",
    "Estimating E[X] for a {label}: {n} samples": "估计{label}的 E[X]：{n} 个样本",
    "number of samples k": "样本数 k",
    "estimate": "估计值",
    "no run yet": "尚未运行",
    "±1 coin": "±1 硬币",
    "uniform on [0, 1]": "[0, 1] 上的均匀分布",
    "exponential(rate 1)": "指数分布（速率 1）",
    "step {step}: {end}": "第 {step} 步：{end}",
    "reached the target": "已到达目标",
    "walking": "行走中",
}
