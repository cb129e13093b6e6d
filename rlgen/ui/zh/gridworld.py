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
}
