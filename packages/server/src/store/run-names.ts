/** Random run names like `brave-otter-417`, for runs created without a name (the reference does the same). */
const ADJECTIVES = [
  "agile", "amber", "ample", "bold", "brave", "bright", "brisk", "calm", "clever", "cosmic", "crisp", "daring",
  "eager", "early", "fancy", "fast", "fierce", "gentle", "glad", "golden", "grand", "happy", "hardy", "honest",
  "humble", "jolly", "keen", "kind", "lively", "lucky", "merry", "mighty", "modest", "neat", "nimble", "noble",
  "patient", "polite", "proud", "quick", "quiet", "rapid", "ready", "rustic", "serene", "sharp", "shiny", "silent",
  "sleek", "smart", "snappy", "solid", "spry", "steady", "stellar", "sunny", "swift", "tidy", "vivid", "warm",
  "wise", "witty", "young", "zesty",
] as const;

const NOUNS = [
  "ant", "badger", "bat", "bear", "bee", "bison", "boar", "carp", "cat", "colt", "crab", "crane", "crow", "deer",
  "dove", "duck", "eagle", "eel", "elk", "falcon", "finch", "fox", "frog", "gnu", "goat", "goose", "hare", "hawk",
  "heron", "horse", "ibis", "jay", "koala", "lark", "lemur", "lion", "lynx", "mole", "moose", "moth", "mouse",
  "newt", "otter", "owl", "panda", "perch", "pike", "puma", "quail", "ram", "raven", "robin", "seal", "shark",
  "sheep", "slug", "snail", "squid", "stork", "swan", "toad", "trout", "whale", "wolf", "wren", "yak", "zebra",
] as const;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** `<adjective>-<noun>-<0..1000>`, at most 20 characters like the reference's names. */
export function randomRunName(): string {
  for (;;) {
    const name = `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(Math.random() * 1001)}`;
    if (name.length <= 20) return name;
  }
}
