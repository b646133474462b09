import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { checkAccess } from "./auth.js";

const req = (authorization?: string, query: Record<string, string> = {}) =>
  ({ headers: authorization ? { authorization } : {}, query }) as unknown as Request;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

describe("checkAccess", () => {
  it("refuses everything without a rule", async () => {
    expect(await checkAccess(undefined, req("Bearer x"))).toBe(false);
  });

  it("checks a bearer token in the header or the query", async () => {
    const rule = { token: "s3cret" };
    expect(await checkAccess(rule, req("Bearer s3cret"))).toBe(true);
    expect(await checkAccess(rule, req(undefined, { token: "s3cret" }))).toBe(true);
    expect(await checkAccess(rule, req("Bearer s3cret2"))).toBe(false);
    expect(await checkAccess(rule, req())).toBe(false);
    expect(await checkAccess({ token: "" }, req("Bearer "))).toBe(false);
  });

  it("checks HTTP Basic credentials", async () => {
    const rule = { basic: { user: "admin", password: "pa:ss" } };
    expect(await checkAccess(rule, req(basic("admin", "pa:ss")))).toBe(true);
    expect(await checkAccess(rule, req(basic("admin", "nope")))).toBe(false);
    expect(await checkAccess(rule, req("Basic !!!"))).toBe(false);
  });

  it("asks a function, treating a throw as no", async () => {
    expect(await checkAccess(async () => true, req())).toBe(true);
    expect(await checkAccess(() => false, req())).toBe(false);
    expect(
      await checkAccess(() => {
        throw new Error("session store down");
      }, req()),
    ).toBe(false);
  });
});
