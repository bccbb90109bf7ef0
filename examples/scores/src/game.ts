import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/** A finished game as `POST /games` takes it. */
export interface Game {
  readonly id: string;
  readonly player: string;
  readonly score: number;
}

/** One entry of the "recent best" list. */
export interface BestScore {
  readonly player: string;
  readonly score: number;
  /** Epoch seconds the game finished. */
  readonly at: number;
  readonly game: string;
}

/** How long a game counts as recent, and stays in the table (its TTL). */
export const RECENT_SECONDS = 3600;
/** How many scores the "recent best" item keeps. */
export const BEST_SIZE = 10;
/** The well-known key of the roll-up item. */
export const BEST_KEY = { pk: { S: "best" }, sk: { N: "0" } } as const;

/**
 * A game's item: keyed by its id alone (sort key 0), so `attribute_not_exists(pk)` records a game
 * once however often its POST is retried; the finish time is an attribute.
 */
export function gameItem(game: Game, finishedAt: number): Record<string, AttributeValue> {
  return {
    pk: { S: `game#${game.id}` },
    sk: { N: "0" },
    player: { S: game.player },
    score: { N: String(game.score) },
    at: { N: String(finishedAt) },
    expiresAt: { N: String(finishedAt + RECENT_SECONDS) },
  };
}

export function parseGame(value: unknown): Game | undefined {
  const game = value as Partial<Game> | null;
  const valid =
    typeof game === "object" &&
    game !== null &&
    typeof game.id === "string" &&
    /^[A-Za-z0-9-]{1,64}$/.test(game.id) &&
    typeof game.player === "string" &&
    game.player.length > 0 &&
    Number.isSafeInteger(game.score);
  return valid ? (game as Game) : undefined;
}

export function toBest(list: AttributeValue | undefined): BestScore[] {
  return (list?.L ?? []).map((entry) => {
    const m = entry.M ?? {};
    return {
      player: m.player?.S ?? "",
      score: Number(m.score?.N ?? "0"),
      at: Number(m.at?.N ?? "0"),
      game: m.game?.S ?? "",
    };
  });
}

export function fromBest(list: readonly BestScore[]): AttributeValue {
  return {
    L: list.map((s) => ({
      M: {
        player: { S: s.player },
        score: { N: String(s.score) },
        at: { N: String(s.at) },
        game: { S: s.game },
      },
    })),
  };
}

/** The ten best of `current` and `incoming` that finished within the hour before `now`; ties: earlier first. */
export function merge(
  current: readonly BestScore[],
  incoming: readonly BestScore[],
  now: number,
): BestScore[] {
  const byGame = new Map<string, BestScore>();
  for (const s of [...current, ...incoming]) if (s.at > now - RECENT_SECONDS) byGame.set(s.game, s);
  return [...byGame.values()]
    .sort((a, b) => b.score - a.score || a.at - b.at || a.game.localeCompare(b.game))
    .slice(0, BEST_SIZE);
}
