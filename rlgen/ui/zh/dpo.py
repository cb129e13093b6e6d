"""DPO chat (DPO 对话) and its RLHF section: 直接偏好优化, 奖励模型, 参考策略, in the Chinese terms."""

from rlgen.ui.i18n import joined

ZH = {
    ("**What the tiny pair knows:** only the English chats it was trained on — opinions on the films, books, "
     "products, places, restaurants and plans of its corpus, e.g. {examples}. Ask about one of them (*“How was your "
     "visit to Kyoto?”*); a prompt that names none of them is answered about one of those, with a note saying so."):
        "**这对小模型知道什么：** 只有它训练时见过的英文对话——对语料中的电影、书籍、产品、地点、餐厅和计划的评价，"
        "例如 {examples}。请用英文问其中之一（*“How was your visit to Kyoto?”*）；没有提到其中任何一个的提示，"
        "它们会拿其中某一个来回答，并附注说明。",
    # the line under each reply (rlgen.dpo.arena.SCORE_LINE)
    "reward **{reward:+g}** ({words}) · log π {logp:.1f} · log π_ref {logp_ref:.1f} · "
    "β·log π/π_ref **{implicit:+.2f}** (β={beta:g})":
        "奖励 **{reward:+g}**（{words}）· log π {logp:.1f} · log π_ref {logp_ref:.1f} · "
        "β·log π/π_ref **{implicit:+.2f}**（β={beta:g}）",
    # names of the numbers the tab checks (the check's message is shared)
    "Temperature": "温度",
    "Max new tokens": "最多生成词元数",
    "Steps": "步数",
    "KL coefficient β": "KL 系数 β",
    """
**Direct Preference Optimization.** RLHF takes three stages: supervised fine-tuning (→ **π_ref**), a reward model
fitted to preference pairs, then RL against it with a KL penalty. DPO skips the reward model: every policy
implicitly defines one, **r(x, y) = β·log π(y|x)/π_ref(y|x)**, so the policy is trained on the pairs directly with
**L = −log σ(β[log π(y_w|x)/π_ref(y_w|x) − log π(y_l|x)/π_ref(y_l|x)])**.
Here both models are ~1M-parameter Llama-style LMs trained by this project on a chat corpus it generates; the
ground-truth reward is a sentiment lexicon score you can check by hand (the sum of the valences of the words, e.g.
*wonderful* +2, *dull* −1), as the DPO paper rated IMDb continuations with a sentiment classifier. The preference
pairs were sampled from π_ref and ranked by that reward.
""": """
**直接偏好优化（DPO）。** RLHF 分三个阶段：监督微调（→ 参考策略 **π_ref**）、在偏好对上拟合奖励模型、
再带着 KL 惩罚对它做强化学习。DPO 跳过了奖励模型：每个策略都隐式地定义了一个奖励模型，
**r(x, y) = β·log π(y|x)/π_ref(y|x)**，因此可以直接在偏好对上训练策略，损失为
**L = −log σ(β[log π(y_w|x)/π_ref(y_w|x) − log π(y_l|x)/π_ref(y_l|x)])**。
这里的两个模型都是约 100 万参数的 Llama 结构语言模型，由本项目在它自己生成的对话语料上训练；
真实奖励是一个可以手算的情感词典得分（回复中各词情感值之和，例如 *wonderful* +2、*dull* −1），
就像 DPO 论文用情感分类器给 IMDb 续写打分一样。偏好对从 π_ref 采样，并按这个奖励排序。
""",
    "Same settings and seed on both sides; greedy decoding (temperature 0) shows each policy's most likely reply. "
    "Raise the temperature to sample.":
        "两侧的设置和种子完全相同；贪心解码（温度 0）显示每个策略最可能的回复。调高温度即可采样。",
    # controls
    "tiny pair (shipped, CPU)": "小模型对（随项目发布，CPU）",
    "shipped DPO policy": "随项目发布的 DPO 策略",
    "my trained policy": "我训练的策略",
    "shipped pairs": "随项目发布的偏好对",
    "shipped pairs + my votes": "随项目发布的偏好对 + 我的投票",
    "my votes only": "只用我的投票",
    "Models": "模型",
    "Real pairs appear with RLGEN_REAL_WEIGHTS=1 on a GPU host.": "在 GPU 主机上设置 RLGEN_REAL_WEIGHTS=1 后会出现真实的模型对。",
    "Right column": "右栏",
    "Reference (SFT) π_ref": "参考策略（SFT）π_ref",
    "DPO policy π": "DPO 策略 π",
    "Your message (sent to both)": "你的消息（同时发给两侧）",
    "Send": "发送",
    "Clear": "清除",
    "Prompts where the two policies part ways": "两个策略回答不同的提示",
    "Sampling (shared by both columns)": "采样设置（两栏共用）",
    "Temperature (0 = greedy)": "温度（0 = 贪心）",
    "Max new tokens (≤ {n})": "最多生成词元数（≤ {n}）",
    "β for the implicit reward": "隐式奖励的 β",
    "### Which is better?": "### 哪个更好？",
    "⬅ Left is better": "⬅ 左边更好",
    "Tie": "平局",
    "Right is better ➡": "右边更好 ➡",
    "Steps (≤ {n})": "步数（≤ {n}）",
    "Loss type": "损失类型",
    "Learning rate": "学习率",
    "Train on my votes": "用我的投票训练",
    "### Train DPO live (from π_ref, with TRL's DPOTrainer)": "### 实时训练 DPO（从 π_ref 出发，使用 TRL 的 DPOTrainer）",
    "Training pairs": "训练用的偏好对",
    "Start": "开始",
    "Stop": "停止",
    "Status": "状态",
    "TRL metrics and KL": "TRL 指标与 KL",
    "Frontier": "前沿",
    "Shipped pair: `python -m rlgen train dpo` — {parameters:,} parameters, {minutes:.1f} min on {threads} thread(s) "
    "of a shared 2-core machine (SFT {sft:.0f} s, DPO {dpo:.0f} s). On {prompts} held-out prompts: reward "
    "**{reward_ref:+.2f}** (π_ref) → **{reward_policy:+.2f}** (DPO), win rate {win:.0f} %, KL {kl:.2f} nats, "
    "distinct-2 {d2_ref:.2f} → {d2_policy:.2f}. Stage 2 (what DPO skips): a Bradley–Terry reward model on the same "
    "pairs ranks {accuracy:.0f} % of {pairs} held-out pairs correctly.":
        "随项目发布的模型对：`python -m rlgen train dpo` —— {parameters:,} 个参数，在一台共享双核机器的 {threads} 个线程上"
        "用时 {minutes:.1f} 分钟（SFT {sft:.0f} 秒，DPO {dpo:.0f} 秒）。在 {prompts} 个留出提示上：奖励从 "
        "**{reward_ref:+.2f}**（π_ref）→ **{reward_policy:+.2f}**（DPO），胜率 {win:.0f} %，KL {kl:.2f} 奈特，"
        "distinct-2 {d2_ref:.2f} → {d2_policy:.2f}。第 2 阶段（DPO 跳过的那一步）：在同样偏好对上训练的 Bradley–Terry "
        "奖励模型对 {pairs} 个留出偏好对的排序正确率为 {accuracy:.0f} %。",
    "No shipped checkpoint yet: run `python -m rlgen train dpo`.": "还没有随项目发布的检查点：请运行 `python -m rlgen train dpo`。",
    "**{n}** preference pair(s) from your votes.": "你的投票产生了 **{n}** 个偏好对。",
    "**{n}** preference pair(s) from your votes; the lexicon reward agrees with {pct:.0f} % of them.":
        "你的投票产生了 **{n}** 个偏好对；其中 {pct:.0f} % 与情感词典奖励一致。",
    # handlers
    "You have no trained policy yet: train on your votes or run “Train DPO live”.":
        "你还没有训练好的策略：请用你的投票训练，或运行“实时训练 DPO”。",
    "your policy": "你的策略",
    "DPO policy": "DPO 策略",
    "Your trained policies belong to the tiny pair; choose it to chat with them.":
        "你训练的策略属于小模型对；请选择它来和这些策略对话。",
    "(empty reply)": "（空回复）",
    "β must be positive (got {beta:g}): the implicit reward is β·log π/π_ref.":
        "β 必须为正（收到的是 {beta:g}）：隐式奖励是 β·log π/π_ref。",
    "The prompt is empty: type a question for the two models.": "提示为空：请为两个模型输入一个问题。",
    "The prompt is {n:,} characters; the cap is {cap:,}. Your conversation is unchanged.":
        "提示有 {n:,} 个字符，上限是 {cap:,}。你的对话没有改变。",
    "answering… {n} tokens": "正在回答…… 已生成 {n} 个词元",
    "seed {seed} · first tokens after {ms:.0f} ms · {left} + {right} tokens at {rate:.0f} tokens/s in all · right "
    "column: {label}. Which is better? Vote below.":
        "种子 {seed} · 首个词元用时 {ms:.0f} 毫秒 · 共 {left} + {right} 个词元，合计 {rate:.0f} 词元/秒 · 右栏：{label}。"
        "哪个更好？请在下方投票。",
    "Conversation cleared.": "对话已清空。",
    "Both columns need a reply before you can vote: send a prompt first.": "两栏都有回复后才能投票：请先发送一个提示。",
    ("Votes are on replies to your own prompts (the example shown was answered as the page opened): send a prompt "
     "first."): "投票针对的是你自己的提示所得到的回复（图中的例子是页面打开时回答的）：请先发送一个提示。",
    "You already voted on these replies: send another prompt.": "你已经对这组回复投过票了：请再发送一个提示。",
    "tie: no pair recorded": "平局：没有记录偏好对",
    "recorded: {choice}": "已记录：{choice}更好",
    "left": "左边",
    "right": "右边",
    "Stopped: the right column keeps the policy it had.": "已停止：右栏保留原来的策略。",
    "You have no votes yet: compare two replies and press one of the vote buttons first.":
        "你还没有投票：请先比较两个回复，再按一个投票按钮。",
    "step {step}/{total} · loss {loss:.3f} · margin {margin:+.3f}": "第 {step}/{total} 步 · 损失 {loss:.3f} · 间隔 {margin:+.3f}",
    "Trained {steps} steps on your {n} pair(s) (β={beta:g}, {loss}); the right column now answers with your policy.":
        "已在你的 {n} 个偏好对上训练 {steps} 步（β={beta:g}，{loss}）；右栏现在由你的策略回答。",
    "Choose the training data: {a}, {b} or {c}.": "请选择训练数据：{a}、{b} 或 {c}。",
    "You have no votes yet: vote in the arena, or train on the shipped pairs.":
        "你还没有投票：请在对战区投票，或用随项目发布的偏好对训练。",
    "starting: {n} pairs, seed {seed}": "开始：{n} 个偏好对，种子 {seed}",
    "your run (β={beta:g}, {loss})": "你的训练（β={beta:g}，{loss}）",
    " · KL {kl:.2f} nats": " · KL {kl:.2f} 奈特",
    "done": "完成",
    "training": "训练中",
    "{state}: step {step}/{total} in {seconds:.0f} s · loss {loss:.3f} · accuracy {accuracy:.2f}{kl}":
        "{state}：第 {step}/{total} 步，用时 {seconds:.0f} 秒 · 损失 {loss:.3f} · 准确率 {accuracy:.2f}{kl}",
    " — the arena's right column can now use it (“my trained policy”).": " —— 对战区的右栏现在可以使用它（“我训练的策略”）。",
    "stopped.": "已停止。",
    # the RLHF section
    "#### Three policies, one prompt": "#### 三个策略，同一个提示",
    "Your message (sent to all three)": "你的消息（同时发给三个策略）",
    "Prompt": "提示",
    "#### Best-of-N from π_ref, ranked by the reward model": "#### 从 π_ref 做 Best-of-N，由奖励模型排序",
    "Sample and rank": "采样并排序",
    "#### RLOO / GRPO live (TRL, from π_ref against r_φ)": "#### 实时 RLOO / GRPO（TRL，从 π_ref 出发，针对 r_φ）",
    "Method": "方法",
    "KL coefficient β (> 0)": "KL 系数 β（> 0）",
    "Start RL": "开始强化学习",
    "r_φ vs true reward, KL": "r_φ 与真实奖励、KL",
    "#### The frontier: every method on the same held-out prompts": "#### 前沿：所有方法在同一批留出提示上的表现",
    "Frontier, all methods": "前沿（所有方法）",
    "Run a reduced frontier live (a few CPU-minutes)": "实时运行缩减版前沿（需要几 CPU 分钟）",
    "No frontier shipped yet: run `python -m rlgen train dpo-frontier`.":
        "还没有随项目发布的前沿：请运行 `python -m rlgen train dpo-frontier`。",
    " The sweep was cut short: some settings are missing.": " 扫描被提前中止：缺少部分设置。",
    "{dominance}  \n*Shipped frontier: {prompts} held-out prompts, one sampled reply each (best-of-N: the expectation "
    "over 64 samples per prompt, placed at its KL bound, so if anything too far right); `python -m rlgen train "
    "dpo-frontier` took {minutes:.0f} CPU-min (CPU-s per run: {runs}).{partial}*":
        "{dominance}  \n*随项目发布的前沿：{prompts} 个留出提示，每个提示采样一个回复（best-of-N：每个提示 64 个样本的"
        "期望，放在它的 KL 上界处，因此即便有偏差也只会偏右）；`python -m rlgen train dpo-frontier` 用了 {minutes:.0f} "
        "CPU 分钟（每次运行的 CPU 秒数：{runs}）。{partial}*",
    "Run more than one method to compare their frontiers.": "至少运行两种方法，才能比较它们的前沿。",
    "KL ≤ {cap:g}: {a} {ra:+.2f} vs {b} {rb:+.2f}": "KL ≤ {cap:g}：{a} {ra:+.2f} 对 {b} {rb:+.2f}",
    "Here **{leader}'s frontier dominates**: it reaches the highest ground-truth reward at every KL budget, by "
    "{margin:.2f} on average over the next best ({parts}).":
        "这里 **{leader} 的前沿占优**：在每个 KL 预算下它的真实奖励都最高，平均比第二名高 {margin:.2f}（{parts}）。",
    "No single frontier dominates here ({parts}).": "这里没有哪条前沿全面占优（{parts}）。",
    "DPO against RL from the reward model ({names}), the DPO paper's comparison: {beaten} of the {n_rl} RL points "
    "lie below and right of a DPO point (further from π_ref for less reward) and {lost} of the {n_dpo} DPO points "
    "below and right of an RL point; DPO's best point is {dpo_reward:+.2f} at KL {dpo_kl:.2f}, RL's "
    "{rl_reward:+.2f} at KL {rl_kl:.2f} ({rl_method} β = {rl_setting:g}).":
        "DPO 与基于奖励模型的强化学习（{names}）对比，即 DPO 论文中的比较：{n_rl} 个强化学习点中有 {beaten} 个位于某个 "
        "DPO 点的右下方（离 π_ref 更远，奖励却更低），{n_dpo} 个 DPO 点中有 {lost} 个位于某个强化学习点的右下方；"
        "DPO 的最佳点在 KL {dpo_kl:.2f} 处奖励为 {dpo_reward:+.2f}，强化学习的最佳点在 KL {rl_kl:.2f} 处为 "
        "{rl_reward:+.2f}（{rl_method} β = {rl_setting:g}）。",
    "your {method} run (β={beta:g})": "你的 {method} 训练（β={beta:g}）",
    "starting {method}: seed {seed}": "开始 {method}：种子 {seed}",
    " · KL {kl:.2f} nats · r_φ {rm:+.2f} · true reward {reward:+.2f} (held-out)":
        " · KL {kl:.2f} 奈特 · r_φ {rm:+.2f} · 真实奖励 {reward:+.2f}（留出集）",
    "{state}: step {step}/{total} in {seconds:.0f} s{kl}": "{state}：第 {step}/{total} 步，用时 {seconds:.0f} 秒{kl}",
    " — the three-column chat can now use it.": " —— 三栏对话现在可以使用它。",
    "- step {step}: “{reply}” — r_φ {rm:+.2f}, true reward {reward:+g}": "- 第 {step} 步：“{reply}” —— r_φ {rm:+.2f}，真实奖励 {reward:+g}",
    "**Replies to “{prompt}” over training**\n\n{samples}": "**训练过程中对“{prompt}”的回复**\n\n{samples}",
    "The prompt is empty: type a question for the models.": "提示为空：请为模型输入一个问题。",
    "The prompt is {n:,} characters; the cap is {cap:,}.": "提示有 {n:,} 个字符，上限是 {cap:,}。",
    "**pick**": "**选中**",
    "r_φ's pick is also the best by the true reward.": "r_φ 选中的回复按真实奖励也是最好的。",
    "r_φ's pick scores {picked:+g} by the true reward; the best of the {n} had {best:+g}.":
        "r_φ 选中的回复真实奖励为 {picked:+g}；这 {n} 个回复中最好的是 {best:+g}。",
    "Best-of-{n} (KL ≤ {bound:.2f} nats). {verdict}\n\n| rank by r_φ | reply | r_φ | true reward |\n|---|---|---|---|\n":
        "Best-of-{n}（KL ≤ {bound:.2f} 奈特）。{verdict}\n\n| 按 r_φ 排名 | 回复 | r_φ | 真实奖励 |\n|---|---|---|---|\n",
    "starting: best-of-N first, then DPO, RLOO, GRPO and preferred-FT…":
        "开始：先做 best-of-N，再依次运行 DPO、RLOO、GRPO 和 preferred-FT……",
    "{run} done ({cpu:.0f} CPU-s); {seconds:.0f} s in all": "{run} 完成（{cpu:.0f} CPU 秒）；总计 {seconds:.0f} 秒",
    "{method}: KL {kl:.2f}, reward {reward:+.2f} ({seconds:.0f} s)": "{method}：KL {kl:.2f}，奖励 {reward:+.2f}（{seconds:.0f} 秒）",
    "no lexicon words": "没有词典中的词",
    "true reward **{reward:+g}** ({words}) · r_φ **{rm:+.2f}** · log π/π_ref {ratio:+.1f}":
        "真实奖励 **{reward:+g}**（{words}）· r_φ **{rm:+.2f}** · log π/π_ref {ratio:+.1f}",
    "There is no RL policy yet: train RLOO or GRPO live below (or ship one with `python -m rlgen train dpo-frontier` "
    "or `python -m rlgen train dpo-rlhf`).":
        "还没有强化学习策略：请在下方实时训练 RLOO 或 GRPO（或用 `python -m rlgen train dpo-frontier` 或 "
        "`python -m rlgen train dpo-rlhf` 生成一个）。",
    "answering…": "正在回答……",
    "the shipped RLOO policy": "随项目发布的 RLOO 策略",
    "seed {seed} · π_RLHF is {source}.": "种子 {seed} · π_RLHF 是{source}。",
}

# the RLHF section's explanation (its braces, E_{y~π}, are no placeholders: it is used as it is)
RLHF_INTRO_EN = """
### RLHF with the same reward model: RLOO, GRPO and best-of-N
RLHF's third stage maximises **E_{y~π}[r_φ(x, y)] − β·KL(π‖π_ref)** with reinforcement learning, using the
Bradley–Terry reward model r_φ trained on the same pairs as DPO. **RLOO** samples k replies per prompt and uses the
mean reward of the other k − 1 as each one's baseline; **GRPO** standardises rewards within the group and adds a
per-token KL term to its clipped loss (both through TRL). **Best-of-N** trains nothing: it samples N replies from
π_ref and keeps the one r_φ likes best, at a KL of at most **log N − (N − 1)/N** nats. **Preferred-FT** fine-tunes
π_ref on the chosen replies only. r_φ is a learned stand-in for the lexicon reward: when r_φ climbs and the true
reward does not, the policy is exploiting r_φ (reward hacking).
"""
RLHF_INTRO = """
### 用同一个奖励模型做 RLHF：RLOO、GRPO 与 best-of-N
RLHF 的第三阶段用强化学习最大化 **E_{y~π}[r_φ(x, y)] − β·KL(π‖π_ref)**，使用在与 DPO 相同的偏好对上训练的
Bradley–Terry 奖励模型 r_φ。**RLOO** 对每个提示采样 k 个回复，用其余 k − 1 个回复的平均奖励作为每个回复的基线；
**GRPO** 在组内标准化奖励，并在它的截断损失中加入逐词元的 KL 项（两者都通过 TRL 实现）。**Best-of-N** 什么也不训练：
它从 π_ref 采样 N 个回复，保留 r_φ 最喜欢的那个，KL 至多为 **log N − (N − 1)/N** 奈特。**Preferred-FT** 只在被选中的
回复上微调 π_ref。r_φ 是情感词典奖励的一个学习得到的替身：当 r_φ 上升而真实奖励不升时，策略就是在钻 r_φ 的空子
（即奖励欺骗）。
"""
ZH[RLHF_INTRO_EN] = RLHF_INTRO
ZH = {english: joined(chinese) for english, chinese in ZH.items()}  # no stray spaces between Chinese lines
