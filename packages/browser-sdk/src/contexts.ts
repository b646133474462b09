import type { Feature } from "./core.js";
import type { Tracker } from "./options.js";
import type { WireProps } from "./wire.js";

/**
 * Named contexts whose props are merged into every event: outermost first, so inner contexts and the
 * event's own props win (as edX's tracker merges its context stack).
 */
export const contexts: Feature = (t) => {
  const stack: Array<[string, WireProps]> = [];
  const props = t._props;
  t._props = (p) => props(stack[0] ? Object.assign({}, ...stack.map((c) => c[1]), p) : p);
  const enter = (name: string, p: WireProps) => {
    stack.push([name, p]);
  };
  const exit = (name: string) => {
    for (let i = stack.length; i--; ) if (stack[i]?.[0] === name) return void stack.splice(i, 1);
  };
  t.enterContext = enter;
  t.exitContext = exit;
  t.withContext = ((name, p, fn) => {
    enter(name, p);
    let result: unknown;
    try {
      result = fn();
    } finally {
      // A promise keeps its context until it settles; anything else leaves now.
      result instanceof Promise
        ? result.then(
            () => exit(name),
            () => exit(name),
          )
        : exit(name);
    }
    return result;
  }) as Tracker["withContext"];
};
