import type { Tracker } from "./options.js";
import type { WireProps } from "./wire.js";

export type ContextMethods = Pick<Tracker, "enterContext" | "exitContext" | "withContext">;

/**
 * A stack of named contexts whose props are merged into every event: outermost first, so inner contexts and
 * the event's own props win (as edX's tracker merges its context stack). Returns the public methods and
 * `merge`, which gives an event's props with the contexts applied.
 */
export const contextStack = (): ContextMethods & { merge(props?: WireProps): WireProps | undefined } => {
  const stack: Array<[string, WireProps]> = [];
  const enterContext = (name: string, props: WireProps) => {
    stack.push([name, props]);
  };
  const exitContext = (name: string) => {
    for (let i = stack.length; i--; ) if (stack[i]?.[0] === name) return void stack.splice(i, 1);
  };
  return {
    merge: (props) => (stack[0] ? Object.assign({}, ...stack.map((c) => c[1]), props) : props),
    enterContext,
    exitContext,
    withContext: ((name, props, fn) => {
      const exit = () => exitContext(name);
      enterContext(name, props);
      let result: unknown;
      try {
        result = fn();
      } finally {
        // A promise keeps its context until it settles; anything else leaves now.
        result instanceof Promise ? result.then(exit, exit) : exit();
      }
      return result;
    }) as Tracker["withContext"],
  };
};
