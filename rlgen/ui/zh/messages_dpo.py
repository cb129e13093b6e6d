"""What the DPO package (直接偏好优化, 奖励模型, RLHF, best-of-N) says when an input is outside what it accepts
(``InputError`` templates)."""

ZH = {
    "A vote is one of {choices} (got {choice!r}).": "投票必须是 {choices} 之一（收到 {choice!r}）。",
    "You have {max_votes} votes, the cap: train on them, or reload the page to start over.":
        "你已投了 {max_votes} 票，达到上限：请用这些偏好训练，或刷新页面重新开始。",
    "N must lie between 1 and the {m} replies sampled per prompt (got {n}).":
        "N 必须在 1 到每个提示采样的回复数 {m} 之间（收到 {n}）。",
    "Give at least one N for best-of-N.": "请为 best-of-N 至少给出一个 N。",
    "There are no prompts to sample.": "没有可供采样的提示。",
    "Best-of-N takes N from 1 to {max_n} (got {n}): each prompt is sampled {max_n} times at most.":
        "Best-of-N 的 N 取 1 到 {max_n}（收到 {n}）：每个提示最多采样 {max_n} 次。",
    "No model in {directory}: run `python -m rlgen train dpo` to write it.":
        "{directory} 中没有模型：请运行 `python -m rlgen train dpo` 生成它。",
    "--from-sft needs a full run in {out} first (python -m rlgen train dpo).":
        "--from-sft 需要先在 {out} 中完成一次完整训练（python -m rlgen train dpo）。",
    "StackedLlama needs float32 CPU Llamas of one shape; use CachedForward.":
        "StackedLlama 需要形状相同的 float32 CPU Llama 模型；请改用 CachedForward。",
    "The context of {length} tokens is full.": "{length} 个词元的上下文已满。",
    "A prompt of {n_ids} tokens does not fit a context of {length}.": "{n_ids} 个词元的提示放不进长度为 {length} 的上下文。",
    "{name} was measured under another plan; run the sweep without --resume to measure every point again.":
        "{name} 是在另一套方案下测得的；请不带 --resume 重新运行扫描，重新测量每个点。",
    "β must be positive (got {beta:g}).": "β 必须为正（收到 {beta:g}）。",
    "Unknown loss type {loss_type!r}; choose one of {loss_types}.": "未知损失类型 {loss_type!r}；请从 {loss_types} 中选择。",
    "The IPO loss needs the completion lengths of the chosen and rejected replies.": "IPO 损失需要被选回复和被拒回复的补全长度。",
    "There are no preference pairs to fine-tune on.": "没有可用于微调的偏好对。",
    "Steps must be a whole number from 1 to {max_ft_steps:,} (got {steps}).": "步数必须是 1 到 {max_ft_steps:,} 之间的整数（收到 {steps}）。",
    "Batch size must lie between 1 and 256 (got {batch_size}).": "批大小必须在 1 到 256 之间（收到 {batch_size}）。",
    "Learning rate must lie in (0, 0.01] (got {learning_rate:g}).": "学习率必须在 (0, 0.01] 内（收到 {learning_rate:g}）。",
    "Real weights are off: start the app with RLGEN_REAL_WEIGHTS=1 on a GPU host to use them.":
        "真实权重未开启：请在有 GPU 的主机上以 RLGEN_REAL_WEIGHTS=1 启动应用后再使用。",
    "{key!r} is not on the allow-list of real pairs ({registered}).": "{key!r} 不在真实模型对的允许列表中（{registered}）。",
    "The tokenizer of {policy_id} has no chat template.": "{policy_id} 的分词器没有对话模板。",
    "There are no prompts to train on.": "没有可用于训练的提示。",
    "The RL method must be one of {methods} (got {method!r}).": "强化学习方法必须是 {methods} 之一（收到 {method!r}）。",
    "The KL coefficient β must be positive (got {kl_coef:g}): with β ≤ 0 nothing keeps π near π_ref, and the policy "
    "is free to exploit the reward model.":
        "KL 系数 β 必须为正（收到 {kl_coef:g}）：β ≤ 0 时没有任何约束让 π 靠近 π_ref，策略可以随意钻奖励模型的空子。",
    "A KL coefficient above 10 holds π at π_ref (got {kl_coef:g}); use 0.001–10.":
        "KL 系数大于 10 会把 π 固定在 π_ref（收到 {kl_coef:g}）；请使用 0.001–10。",
    "Steps must be a whole number from 1 to {max_rl_steps:,} (got {steps}).": "步数必须是 1 到 {max_rl_steps:,} 之间的整数（收到 {steps}）。",
    "Replies per prompt must lie between 2 and 16 (got {generations}): the baseline of each reply is made from the "
    "others in its group.":
        "每个提示的回复数必须在 2 到 16 之间（收到 {generations}）：每个回复的基线由同组的其他回复算出。",
    "Prompts per step must lie between 1 and 32 (got {prompts_per_step}).": "每步的提示数必须在 1 到 32 之间（收到 {prompts_per_step}）。",
    "Type a message first: the conversation is empty.": "请先输入一条消息：对话是空的。",
    "The conversation must end with the user's message.": "对话必须以用户的消息结尾。",
    "The prompt is {n_chars:,} characters; the cap is {max_prompt_chars:,}.": "提示有 {n_chars:,} 个字符；上限为 {max_prompt_chars:,}。",
    "Temperature must lie between 0 and 2 (got {temperature:g}); 0 means greedy.":
        "温度必须在 0 到 2 之间（收到 {temperature:g}）；0 表示贪婪解码。",
    "Top-p must lie in (0, 1] (got {top_p:g}).": "Top-p 必须在 (0, 1] 内（收到 {top_p:g}）。",
    "Max new tokens must be a whole number from 1 to {cap} (got {max_new_tokens}).":
        "最大新词元数必须是 1 到 {cap} 之间的整数（收到 {max_new_tokens}）。",
    "One conversation per model.": "每个模型一段对话。",
    "Each message needs a role ({roles}) and text content.": "每条消息都需要一个角色（{roles}）和文本内容。",
    "There are no preference pairs to train on: vote on some replies first.": "没有可用于训练的偏好对：请先为一些回复投票。",
    "β must be positive (got {beta:g}): it scales the KL penalty, and β ≤ 0 has none.":
        "β 必须为正（收到 {beta:g}）：它决定 KL 惩罚的强度，β ≤ 0 就没有惩罚。",
    "β above 10 barely moves the policy (got {beta:g}); use 0.01–10.": "β 大于 10 时策略几乎不动（收到 {beta:g}）；请使用 0.01–10。",
    "Loss type must be one of {loss_types} (got {loss_type!r}).": "损失类型必须是 {loss_types} 之一（收到 {loss_type!r}）。",
    "Steps must lie between 1 and 10,000 (got {steps}).": "步数必须在 1 到 10,000 之间（收到 {steps}）。",
}
