import { hostname } from "node:os";
import { safeJsonStringify, toJsonSafe } from "../tracker/safe-json.js";
import type { Tracker } from "../tracker/tracker.js";
import { truncateUtf8 } from "./truncate.js";
import type { UserAction } from "./user-action.js";

export const REDACTED = "[redacted]";

export interface ActionLogOptions {
  /** Where the `UserAction` event is emitted. */
  tracker: Tracker;
  /** Event name. Default: the function's name (`anonymous` when it has none). */
  name?: string;
  /** Report a trailing plain-object argument as keyword arguments (`keyword_args_json`). */
  keywordArgs?: boolean;
  /** Names of the positional arguments, in order: used by `redact`. */
  argNames?: string[];
  /**
   * Argument names whose values are replaced by `"[redacted]"`: positional arguments named in `argNames`, and
   * object keys at any depth inside any argument (so `{ password }` in an options object is caught too).
   */
  redact?: string[];
  /** Cap for `output` and `error`, in UTF-8 bytes; longer values end with a truncation marker. Default 4096. */
  maxOutputBytes?: number;
  /** The acting user. Default: `user` (or `user_id`) of the tracker's current context. */
  getUser?: () => string | null | undefined;
  /** Default `os.hostname()`. */
  hostName?: string;
  /** Clock in epoch ms, for tests. */
  now?: () => number;
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * Wraps `fn` so every call emits an Amundsen-style {@link UserAction} through `options.tracker`. The wrapper is
 * transparent: same `this`, same return value, the same error object thrown or rejected with (async results come
 * back as a promise settling the same way, after the action is emitted). Logging itself never throws.
 */
export function actionLog<F extends AnyFunction>(fn: F, options: ActionLogOptions): F {
  if (typeof fn !== "function") throw new TypeError("actionLog: first argument must be a function");
  if (typeof options?.tracker?.emit !== "function") {
    throw new TypeError("actionLog: options.tracker must be a tracker (createTracker())");
  }
  const name = options.name ?? (fn.name || "anonymous");
  const now = options.now ?? Date.now;
  const maxBytes = options.maxOutputBytes ?? 4096;
  const host = options.hostName ?? hostname();
  const redact = new Set(options.redact ?? []);
  const argNames = options.argNames ?? [];
  const call = fn as unknown as (this: unknown, ...args: unknown[]) => unknown;

  const emit = (
    args: unknown[],
    start: number,
    outcome: { output?: unknown; error?: unknown; failed: boolean },
  ) => {
    // Opted out: skip the serialisation work too.
    if (!options.tracker.enabled) return;
    try {
      const { positional, keyword } = describeArgs(args, {
        keywordArgs: options.keywordArgs,
        argNames,
        redact,
      });
      const action: UserAction = {
        host_name: host,
        start_epoch_ms: start,
        end_epoch_ms: now(),
        pos_args_json: safeJsonStringify(positional),
        keyword_args_json: safeJsonStringify(keyword),
        output:
          outcome.failed || outcome.output === undefined
            ? null
            : truncateUtf8(safeJsonStringify(outcome.output), maxBytes),
        error: outcome.failed ? truncateUtf8(describeError(outcome.error), maxBytes) : null,
        user: currentUser(options),
      };
      options.tracker.emit(name, action as unknown as Record<string, unknown>);
    } catch {
      // The tracker already reports its own failures; nothing here may disturb the wrapped call.
    }
  };

  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const start = now();
    let result: unknown;
    try {
      result = call.apply(this, args);
    } catch (error) {
      emit(args, start, { error, failed: true });
      throw error;
    }
    if (isThenable(result)) {
      return result.then(
        (value) => {
          emit(args, start, { output: value, failed: false });
          return value;
        },
        (error: unknown) => {
          emit(args, start, { error, failed: true });
          throw error;
        },
      );
    }
    emit(args, start, { output: result, failed: false });
    return result;
  };
  Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, "length", { value: fn.length, configurable: true });
  return wrapped as unknown as F;
}

/**
 * The same as {@link actionLog} as a standard (TypeScript 5) method decorator; the event name defaults to the
 * method name.
 *
 * ```ts
 * class SearchService { @logAction({ tracker }) search(query: string) { ... } }
 * ```
 */
export function logAction(options: ActionLogOptions) {
  return <F extends AnyFunction>(method: F, context: ClassMethodDecoratorContext): F =>
    actionLog(method, { ...options, name: options.name ?? String(context.name) });
}

function describeArgs(
  args: unknown[],
  options: { keywordArgs: boolean | undefined; argNames: string[]; redact: Set<string> },
): { positional: unknown[]; keyword: Record<string, unknown> } {
  let positional = args;
  let keyword: Record<string, unknown> = {};
  const last = args[args.length - 1];
  if (options.keywordArgs && isPlainObject(last)) {
    positional = args.slice(0, -1);
    keyword = last;
  }
  const safePositional = positional.map((value, index) => {
    const argName = options.argNames[index];
    if (argName !== undefined && options.redact.has(argName)) return REDACTED;
    return redactKeys(toJsonSafe(value), options.redact) ?? null;
  });
  const safeKeyword = redactKeys(toJsonSafe(keyword), options.redact) as Record<string, unknown>;
  return { positional: safePositional, keyword: safeKeyword };
}

/** Replaces the value of every key in `names`, at any depth, in an already JSON-safe value. */
function redactKeys(value: unknown, names: Set<string>): unknown {
  if (names.size === 0 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactKeys(item, names));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = names.has(key) ? REDACTED : redactKeys(v, names);
  return out;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return typeof error === "string" ? error : safeJsonStringify(error);
}

function currentUser(options: ActionLogOptions): string | null {
  try {
    const user = options.getUser ? options.getUser() : undefined;
    if (user !== undefined) return user;
    const ctx = options.tracker.getContext();
    const fromContext = ctx.user ?? ctx.user_id;
    return fromContext === undefined || fromContext === null ? null : String(fromContext);
  } catch {
    // A failing user lookup still logs the action, without a user.
    return null;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}
