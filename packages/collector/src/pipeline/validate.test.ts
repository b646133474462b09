import { describe, expect, it } from "vitest";
import { HttpError } from "./collect-error.js";
import { checkContentType, DEFAULT_LIMITS, parseWireBody, validateWireBody } from "./validate.js";

const pv = { type: "pageview", site: "example.com", url: "https://example.com/a" };

function errorOf(fn: () => unknown): { status: number; code: string; path: string | undefined } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    const e = err as HttpError;
    return { status: e.status, code: e.code, path: e.path };
  }
  throw new Error("expected an HttpError");
}

describe("parseWireBody", () => {
  it("accepts one event and a batch of the three event types", () => {
    expect(parseWireBody(JSON.stringify(pv))).toEqual([pv]);
    const batch = [
      pv,
      {
        type: "event",
        site: "example.com",
        url: "https://example.com/",
        name: "Signup",
        props: { plan: "pro", n: 1, ok: true, z: null },
      },
      {
        type: "engagement",
        site: "example.com",
        url: "https://example.com/",
        engagedMs: 1500,
        ts: 1_700_000_000_000,
        sw: 390,
      },
    ];
    expect(parseWireBody(JSON.stringify({ batch }))).toEqual(batch);
  });

  it("ignores fields it does not know (the SDK may add some)", () => {
    expect(parseWireBody(JSON.stringify({ ...pv, future: 1 }))).toEqual([pv]);
  });

  it("rejects malformed JSON with 400 invalid_json", () => {
    expect(errorOf(() => parseWireBody("{nope"))).toMatchObject({ status: 400, code: "invalid_json" });
    expect(errorOf(() => parseWireBody(""))).toMatchObject({ status: 400, code: "invalid_json" });
  });

  it.each([["[]"], ["null"], ["42"], ['"text"']])("rejects a body that is not an object: %s", (body) => {
    expect(errorOf(() => parseWireBody(body))).toMatchObject({ status: 400, code: "invalid_body" });
  });

  it("rejects a batch that is not an array, empty, or too long", () => {
    expect(errorOf(() => validateWireBody({ batch: {} }))).toEqual({
      status: 400,
      code: "invalid_type",
      path: "batch",
    });
    expect(errorOf(() => validateWireBody({ batch: [] }))).toEqual({
      status: 400,
      code: "invalid_body",
      path: "batch",
    });
    const many = Array.from({ length: DEFAULT_LIMITS.maxEventsPerBatch + 1 }, () => pv);
    expect(errorOf(() => validateWireBody({ batch: many }))).toEqual({
      status: 413,
      code: "too_many_events",
      path: "batch",
    });
  });

  it("names the offending field inside a batch", () => {
    const batch = [pv, pv, pv, { ...pv, url: 42 }];
    expect(errorOf(() => validateWireBody({ batch }))).toEqual({
      status: 400,
      code: "invalid_type",
      path: "batch[3].url",
    });
    const ev = { ...pv, type: "event", name: "n" };
    expect(errorOf(() => validateWireBody({ batch: [pv, "text"] }))).toEqual({
      status: 400,
      code: "invalid_type",
      path: "batch[1]",
    });
    expect(errorOf(() => validateWireBody({ batch: [pv, { ...ev, props: [1] }] }))).toEqual({
      status: 400,
      code: "invalid_type",
      path: "batch[1].props",
    });
    expect(
      errorOf(() => validateWireBody({ batch: [pv, pv, { ...ev, props: { k: { deep: 1 } } }] })),
    ).toEqual({
      status: 400,
      code: "nested_prop",
      path: "batch[2].props.k",
    });
    expect(errorOf(() => validateWireBody({ ...ev, props: { n: Number.NaN } }))).toEqual({
      status: 400,
      code: "invalid_type",
      path: "props.n",
    });
  });

  it.each([
    [{ ...pv, type: "click" }, "unknown_event_type", "type"],
    [{ site: "s", url: "https://e/" }, "missing_field", "type"],
    [{ ...pv, site: undefined }, "missing_field", "site"],
    [{ ...pv, site: "  " }, "missing_field", "site"],
    [{ ...pv, site: 1 }, "invalid_type", "site"],
    [{ ...pv, url: "javascript:alert(1)" }, "invalid_url", "url"],
    [{ ...pv, url: "/relative" }, "invalid_url", "url"],
    [{ ...pv, referrer: 5 }, "invalid_type", "referrer"],
    [{ ...pv, title: ["a"] }, "invalid_type", "title"],
    [{ ...pv, ts: "yesterday" }, "invalid_type", "ts"],
    [{ ...pv, ts: -1 }, "out_of_range", "ts"],
    [{ ...pv, sw: "wide" }, "invalid_type", "sw"],
    [{ ...pv, type: "event" }, "missing_field", "name"],
    [{ ...pv, type: "event", name: "" }, "missing_field", "name"],
    [{ ...pv, type: "engagement" }, "missing_field", "engagedMs"],
    [{ ...pv, type: "engagement", engagedMs: -5 }, "out_of_range", "engagedMs"],
    [{ ...pv, type: "engagement", engagedMs: DEFAULT_LIMITS.maxEngagedMs + 1 }, "out_of_range", "engagedMs"],
    [{ ...pv, props: "a=b" }, "invalid_type", "props"],
    [{ ...pv, props: [1] }, "invalid_type", "props"],
    [{ ...pv, props: { deep: { x: 1 } } }, "nested_prop", "props.deep"],
    [{ ...pv, props: { list: [1, 2] } }, "nested_prop", "props.list"],
  ])("rejects %j with %s at %s", (event, code, path) => {
    expect(errorOf(() => validateWireBody(event))).toEqual({ status: 400, code, path });
  });

  it.each([
    ["site", DEFAULT_LIMITS.maxSiteLength],
    ["url", DEFAULT_LIMITS.maxUrlLength],
    ["referrer", DEFAULT_LIMITS.maxUrlLength],
    ["title", DEFAULT_LIMITS.maxTitleLength],
  ])("rejects a %s longer than %i characters", (field, max) => {
    const long =
      field === "url" || field === "referrer" ? `https://e.com/${"a".repeat(max)}` : "a".repeat(max + 1);
    expect(errorOf(() => validateWireBody({ ...pv, [field]: long }))).toEqual({
      status: 400,
      code: "string_too_long",
      path: field,
    });
  });

  it("rejects a too long event name, property name or value, and too many properties", () => {
    const ev = { ...pv, type: "event", name: "x" };
    expect(
      errorOf(() => validateWireBody({ ...ev, name: "n".repeat(DEFAULT_LIMITS.maxNameLength + 1) })),
    ).toMatchObject({
      code: "string_too_long",
      path: "name",
    });
    const longKey = "k".repeat(DEFAULT_LIMITS.maxPropKeyLength + 1);
    expect(errorOf(() => validateWireBody({ ...ev, props: { [longKey]: 1 } }))).toMatchObject({
      code: "string_too_long",
      path: `props.${longKey}`,
    });
    expect(
      errorOf(() =>
        validateWireBody({ ...ev, props: { v: "v".repeat(DEFAULT_LIMITS.maxPropValueLength + 1) } }),
      ),
    ).toMatchObject({ code: "string_too_long", path: "props.v" });
    const many = Object.fromEntries(
      Array.from({ length: DEFAULT_LIMITS.maxProps + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(errorOf(() => validateWireBody({ ...ev, props: many }))).toMatchObject({
      code: "too_many_props",
      path: "props",
    });
  });

  it("keeps a __proto__ property as data without touching the prototype", () => {
    const [e] = parseWireBody(`{"type":"pageview","site":"s","url":"https://s/","props":{"__proto__":"x"}}`);
    expect(Object.getPrototypeOf(e?.props)).toBe(Object.prototype);
    expect(Object.keys(e?.props ?? {})).toEqual(["__proto__"]);
  });

  it("never throws anything but HttpError on random garbage", () => {
    const samples = [
      "{",
      "}",
      "[{}]",
      '{"batch":[null]}',
      '{"batch":[1,2]}',
      '{"type":null}',
      "\u0000",
      "1e999",
      '{"batch":"x"}',
    ];
    for (let i = 0; i < 200; i++) {
      samples.push(
        Array.from({ length: 40 }, () => String.fromCharCode(32 + Math.floor(Math.random() * 95))).join(""),
      );
    }
    for (const s of samples) {
      try {
        parseWireBody(s);
      } catch (err) {
        expect(err).toBeInstanceOf(HttpError);
        expect((err as HttpError).status).toBeLessThan(500);
      }
    }
  });
});

describe("checkContentType", () => {
  it("accepts text/plain and application/json with parameters", () => {
    expect(() => checkContentType("text/plain;charset=UTF-8")).not.toThrow();
    expect(() => checkContentType("Application/JSON")).not.toThrow();
  });

  it.each([[undefined], ["application/x-www-form-urlencoded"], ["multipart/form-data; boundary=x"]])(
    "answers 415 for %s",
    (type) => {
      expect(errorOf(() => checkContentType(type))).toMatchObject({
        status: 415,
        code: "unsupported_media_type",
      });
    },
  );
});
