import { WIRE_LIMITS as L, type WireProps } from "./wire.js";

/** Keeps the first `maxProps` scalar props, keys clipped; objects, arrays and functions are dropped. */
export const cleanProps = (props?: Record<string, unknown>): WireProps | undefined => {
  let out: WireProps | undefined;
  let n = 0;
  for (const key in props) {
    const v = props[key];
    if (!(v instanceof Object) && n++ < L.maxProps)
      // biome-ignore lint/suspicious/noAssignInExpressions: the object is made on the first prop, in fewer bytes
      (out ||= {})[key.slice(0, L.maxPropKeyLength)] = v as string;
  }
  return out;
};
