"""What the tiny models say about inputs outside their training (the DPO chat, KimiVL)."""

ZH = {
    "Note: the tiny models only know the things of their training chats ({examples}); this prompt names none of "
    "them, so both reply about one of those instead.":
        "注意：这两个小模型只认识训练对话里出现过的事物（{examples}）；这个提示没有提到其中任何一个，所以它们会转而谈论其中某一个。",
    "Note: this image is outside what the tiny model was trained on: {reasons}. Its answer is a guess, not "
    "understanding.":
        "注意：这张图片超出了小模型的训练范围：{reasons}。它的回答只是猜测，并不代表理解。",
    "it is {side} px across, and the training scenes are {low}–{high} px": "它有 {side} 像素宽，而训练场景只有 {low}–{high} 像素",
    "it has the textures of a photo, and the training scenes are flat shapes on a plain background":
        "它带有照片的纹理，而训练场景是纯色背景上的平面图形",
}
