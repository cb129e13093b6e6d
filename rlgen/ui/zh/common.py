"""Texts shared by every tab (the page's header row, the language switch, the seed controls, the checks of numbers
and the error messages of rlgen.ui.widgets)."""

ZH = {
    "中文": "English",  # the language switch names the other language
    "Seed": "随机种子",
    "Randomize seed": "随机选种子",
    "More settings": "更多设置",
    "The seed must be a whole number from 0 to {max:,}.": "随机种子必须是 0 到 {max:,} 之间的整数。",
    "The seed must be a whole number from 0 to {max:,} (got {seed}).": "随机种子必须是 0 到 {max:,} 之间的整数（当前为 {seed}）。",
    "a whole number": "整数",
    "a number": "数",
    "{name} is empty: enter {kind} from {low} to {high}.": "{name}为空：请输入 {low} 到 {high} 之间的{kind}。",
    "{name} must be {kind} from {low} to {high} (got {value}).": "{name}必须是 {low} 到 {high} 之间的{kind}（当前为 {value}）。",
    "{name} must lie between {low} and {high} (got {value}).": "{name}必须在 {low} 到 {high} 之间（当前为 {value}）。",
    "{name} must be a whole number (got {value}).": "{name}必须是整数（当前为 {value}）。",
    "{name}: choose one of {choices} (got {value!r}).": "{name}：请从 {choices} 中选择一个（当前为 {value!r}）。",
    "A number is needed here; the value was empty.": "这里需要一个数，但收到的值为空。",
    "Internal error": "内部错误",
    "Internal error (id {incident}): something went wrong on our side, not with your input. The app is still "
    "running; try again, and mention this id if you report it.":
        "内部错误（编号 {incident}）：问题出在我们这边，不是你的输入有误。应用仍在运行，请重试；报告问题时请附上这个编号。",
    "Image refused": "图片被拒绝",
    "Error": "错误",
    # texts several tabs use
    "Status": "状态",
    "Step": "单步",
    "Run": "运行",
    "Stop": "停止",
    "Algorithm": "算法",
    "Frames per second": "帧率",
    "episode": "回合",
}
