"""Words drawn into pictures (a grid world's footer, DDPG's episode GIF, the diffusion trajectory and step grids, the
generative lab's canvas), drawn with a CJK system font for a Chinese reader (:mod:`rlgen.lettering`)."""

ZH = {
    "converged": "已收敛",
    "reset": "已重置",
    "running": "运行中",
    "{label}, {unit} {step} ({state})": "{label}，{unit} {step}（{state}）",
    "the answer: v* and its greedy policy": "答案：v* 及其贪婪策略",
    "torque": "力矩",
    "force": "推力",
    "return so far = {value:.1f}": "累计回报 = {value:.1f}",
    "step {step}": "第 {step} 步",
    "predicted x0": "预测的 x0",
    "Rectified flow": "整流（Rectified Flow）",
    "eps-model, {name}": "ε 预测模型，{name}",
    "{n} steps": "{n} 步",
    "1 step": "1 步",
    "{name} pred. x0": "{name} 预测 x0",
    "{n} points (click to add)": "{n} 个点（点击添加）",
}
