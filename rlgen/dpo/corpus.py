"""A chat corpus the project writes itself, and the ground-truth reward a person can check by hand.

Prompts are what a user would type about films, books, products, places, restaurants and plans; replies are
assembled from sentence patterns with a sentiment (positive, mixed, neutral or negative), one to four
sentences long, about an aspect that fits the topic. The reward is a sentiment lexicon score — the sum of the
valences of the words in a reply — in the spirit of the DPO paper's IMDb task, where a sentiment classifier
played the part of the human rater.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# The lexicon: word -> valence. reward(text) = Σ valence(word); every other word counts 0.
LEXICON: dict[str, float] = {
    "wonderful": 2, "excellent": 2, "brilliant": 2, "delightful": 2, "superb": 2, "fantastic": 2, "love": 2,
    "loved": 2, "great": 1, "good": 1, "lovely": 1, "charming": 1, "pleasant": 1, "enjoyed": 1, "enjoy": 1,
    "fun": 1, "solid": 1, "clever": 1, "warm": 1, "beautiful": 1, "friendly": 1, "recommend": 1, "worth": 1,
    "happy": 1, "smooth": 1, "fresh": 1, "reliable": 1, "generous": 1, "glad": 1, "nice": 1,
    "awful": -2, "terrible": -2, "dreadful": -2, "hate": -2, "hated": -2, "disappointing": -2, "waste": -2,
    "bad": -1, "dull": -1, "boring": -1, "weak": -1, "messy": -1, "slow": -1, "cheap": -1, "bland": -1,
    "noisy": -1, "crowded": -1, "tired": -1, "flimsy": -1, "annoying": -1, "sadly": -1, "poor": -1,
    "overpriced": -1, "sorry": -1, "disliked": -1, "regret": -1, "tedious": -1,
}
POSITIVE = sorted(w for w, v in LEXICON.items() if v > 0)
NEGATIVE = sorted(w for w, v in LEXICON.items() if v < 0)

_WORD = re.compile(r"[a-z']+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def reward(text: str) -> float:
    """The ground truth: the sum of lexicon valences of the words in ``text`` (see :data:`LEXICON`)."""
    return float(sum(LEXICON.get(w, 0.0) for w in words(text)))


def scored_words(text: str) -> list[tuple[str, float]]:
    """The words of ``text`` that the lexicon scores, with their valences, in order (to show the sum)."""
    return [(w, LEXICON[w]) for w in words(text) if w in LEXICON]


# Topics: the things a user asks about, the prompt patterns, and the aspects a reply can talk about.
@dataclass(frozen=True)
class Topic:
    name: str
    things: tuple[str, ...]
    prompts: tuple[str, ...]
    aspects: tuple[str, ...]
    mention: str = "{x}"  # how a reply names the thing


TOPICS: tuple[Topic, ...] = (
    Topic("film", ("Midnight Harbor", "The Glass Orchard", "Paper Lanterns", "The Last Lighthouse", "Northern Lights",
                   "A Quiet Summer", "The Silver Road", "Rain over Prague"),
          ("What did you think of the film {x}?", "Is {x} worth watching?", "Can you tell me about the movie {x}?",
           "Should I see {x} this weekend?", "How was {x}?"),
          ("story", "acting", "soundtrack", "ending", "pacing", "dialogue", "camera work")),
    Topic("book", ("The Salt Garden", "Letters from Oslo", "The Clockmaker", "A House by the Sea", "Winter Birds",
                   "The Long Walk Home"),
          ("Have you read {x}?", "Is the book {x} any good?", "Would you recommend {x}?",
           "What do you think of the novel {x}?"),
          ("plot", "characters", "writing", "ending", "first chapter", "pacing")),
    Topic("product", ("Nimbus headphones", "Aster coffee grinder", "Orbit desk lamp", "Pebble phone", "Juniper kettle",
                      "Summit backpack", "Cobalt keyboard", "Meadow blender"),
          ("Should I buy the {x}?", "How good is the {x}?", "Is the {x} worth the money?",
           "What do you think of the {x}?", "Can you review the {x} for me?"),
          ("design", "battery", "price", "build", "sound", "size", "setup"), "the {x}"),
    Topic("place", ("Lisbon", "Kyoto", "Edinburgh", "Marrakesh", "Vancouver", "Naples", "Reykjavik", "Seville"),
          ("What is it like to visit {x}?", "Is {x} a good place for a weekend trip?", "Should I travel to {x}?",
           "Tell me about {x}.", "How was your trip to {x}?"),
          ("food", "streets", "weather", "museums", "hotels", "people", "old town")),
    Topic("restaurant", ("Luna Bistro", "The Olive Tree", "Harbor Grill", "Saffron House", "Blue Door Cafe"),
          ("Is {x} a good restaurant?", "Should we have dinner at {x}?", "How is the food at {x}?",
           "What did you think of {x}?"),
          ("menu", "service", "desserts", "coffee", "prices", "room")),
    Topic("plan", ("learn the piano", "run a marathon", "move to the coast", "start a garden", "learn Spanish",
                   "cycle to work", "take a cooking class", "paint the kitchen"),
          ("What do you think of my plan to {x}?", "I want to {x}. Is that a good idea?", "Should I {x} this year?",
           "Any advice? I plan to {x}."),
          ("schedule", "cost", "first month", "routine", "progress", "weekends"), "your plan to {x}"),
)

# Sentence patterns by sentiment. {x}: the thing; {a}: an aspect; {p}/{q}: positive words; {n}/{m}: negative.
OPENERS = {
    "positive": ("I {love_it} {x}.", "Honestly, {x} is {p}.", "{x} is a {p} choice.", "Yes, {x} is {p}."),
    "negative": ("Sadly, {x} is {n}.", "I found {x} {n}.", "{x} is a {n} choice, I am sorry to say.",
                 "Honestly, {x} was {n}."),
    "neutral": ("{x} is what you would expect.", "I have mixed notes on {x}.", "{x} is an ordinary choice.",
                "People talk about {x} a lot."),
}
BODY = {
    "positive": ("The {a} is {p} and {q}.", "I {enjoyed} the {a} most of all.", "The {a} feels {p}.",
                 "You will find the {a} {p}.", "Everyone says the {a} is {p}."),
    "negative": ("The {a} is {n} and {m}.", "The {a} felt {n} to me.", "I {hated} the {a}.",
                 "You may find the {a} {n}.", "Everyone says the {a} is {n}."),
    "neutral": ("The {a} is about average.", "The {a} is fine for most people.", "The {a} is simple.",
                "Some people like the {a} and some do not."),
}
CLOSERS = {
    "positive": ("I would {recommend} it.", "It is well {worth} it.", "You will have {fun}.",
                 "I was {glad} I tried it."),
    "negative": ("I would skip it.", "It was a {waste} of time.", "I {regret} it a little.", "Try something else."),
    "neutral": ("It depends on what you like.", "See for yourself.", "Maybe give it a try.", "It is up to you."),
}
LOVE_IT = ("love", "really enjoyed", "loved")
ENJOYED = ("enjoyed", "loved")
HATED = ("hated", "disliked")
POS_ADJ = ("wonderful", "excellent", "brilliant", "delightful", "superb", "fantastic", "great", "good", "lovely",
           "charming", "pleasant", "fun", "solid", "clever", "warm", "beautiful", "friendly", "smooth", "fresh",
           "reliable", "generous", "nice")
NEG_ADJ = ("awful", "terrible", "dreadful", "disappointing", "bad", "dull", "boring", "weak", "messy", "slow",
           "cheap", "bland", "noisy", "crowded", "tired", "flimsy", "annoying", "poor", "overpriced", "tedious")
FOLLOW_UPS = ("Why do you say that?", "Anything else I should know?", "Tell me more.", "What about the {a}?")

# A reply's overall mood, and the mood of each sentence within it (a mixed reply mixes the other three).
MOODS = ("positive", "negative", "neutral", "mixed")
MOOD_WEIGHTS = (0.3, 0.3, 0.2, 0.2)


@dataclass(frozen=True)
class Conversation:
    """A chat: alternating user/assistant messages, the last one from the assistant."""

    messages: tuple[dict, ...]
    topic: str
    mood: str

    @property
    def prompt(self) -> str:
        return self.messages[0]["content"]


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _fill(rng: np.random.Generator, pattern: str, thing: str, aspect: str) -> str:
    p, q = rng.choice(POS_ADJ, size=2, replace=False)
    n, m = rng.choice(NEG_ADJ, size=2, replace=False)
    text = pattern.format(x=thing, a=aspect, p=p, q=q, n=n, m=m, love_it=_pick(rng, LOVE_IT),
                          enjoyed=_pick(rng, ENJOYED), hated=_pick(rng, HATED), recommend="recommend",
                          worth="worth", fun="fun", glad="glad", waste="waste", regret="regret")
    return text[0].upper() + text[1:]


def sample_prompt(rng: np.random.Generator) -> tuple[Topic, str, str]:
    """A user's question: (topic, the thing asked about, the prompt text)."""
    topic = TOPICS[int(rng.integers(len(TOPICS)))]
    thing = _pick(rng, topic.things)
    return topic, thing, _pick(rng, topic.prompts).format(x=thing)


def sample_reply(rng: np.random.Generator, topic: Topic, thing: str, mood: str | None = None,
                 aspect: str | None = None) -> tuple[str, str]:
    """An assistant reply of one to four sentences about ``thing``; returns (reply, mood)."""
    mood = mood or MOODS[int(rng.choice(len(MOODS), p=MOOD_WEIGHTS))]
    thing = topic.mention.format(x=thing)
    moods = [mood] if mood != "mixed" else ["positive", "negative", "neutral"]
    length = int(rng.integers(1, 5))  # sentences
    aspects = list(rng.permutation(topic.aspects))
    if aspect is not None:
        aspects = [aspect, *[a for a in aspects if a != aspect]]
    sentences = []
    for i in range(length):
        m = moods[i % len(moods)] if mood == "mixed" else mood
        if i == 0 and aspect is None:
            pattern = _pick(rng, OPENERS[m])
        elif i == length - 1 and length > 2:
            pattern = _pick(rng, CLOSERS[m])
        else:
            pattern = _pick(rng, BODY[m])
        sentences.append(_fill(rng, pattern, thing, aspects[i % len(aspects)]))
    return " ".join(sentences), mood


def sample_conversation(rng: np.random.Generator, follow_up_probability: float = 0.2) -> Conversation:
    """A one- or two-turn chat; the second turn asks a follow-up about the same thing."""
    topic, thing, prompt = sample_prompt(rng)
    reply, mood = sample_reply(rng, topic, thing)
    messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": reply}]
    if rng.random() < follow_up_probability:
        aspect = _pick(rng, topic.aspects)
        follow = _pick(rng, FOLLOW_UPS).format(a=aspect)
        second, _ = sample_reply(rng, topic, thing, mood=mood if mood != "mixed" else None,
                                 aspect=aspect if "{a}" not in follow else aspect)
        messages += [{"role": "user", "content": follow}, {"role": "assistant", "content": second}]
    return Conversation(tuple(messages), topic.name, mood)


def make_corpus(size: int, seed: int) -> list[Conversation]:
    rng = np.random.default_rng(seed)
    return [sample_conversation(rng) for _ in range(size)]


def make_prompts(size: int, seed: int) -> list[str]:
    """User prompts alone (for sampling preference pairs and for held-out evaluation)."""
    rng = np.random.default_rng(seed)
    return [sample_prompt(rng)[2] for _ in range(size)]


def things_named(text: str) -> list[str]:
    """The things of the training chats (films, books, products, places, restaurants, plans) that ``text`` names:
    the tiny chat models know nothing else, and answer about one of these whatever they are asked."""
    lowered = text.lower()
    return [thing for topic in TOPICS for thing in topic.things if thing.lower() in lowered]


def known_examples(per_topic: int = 2) -> str:
    """A few of the things the tiny models know, by topic, for a message that says what they were trained on."""
    return "; ".join(f"{topic.name}s: {', '.join(topic.things[:per_topic])}" for topic in TOPICS)
