import { describe, expect, it } from "vitest";
import { collected } from "../../test/collected-event.js";
import { consoleDestination } from "./console.js";

describe("consoleDestination", () => {
  it("prints a readable line per event by default", async () => {
    const out: string[] = [];
    const destination = consoleDestination({ stream: { write: (s: string) => out.push(s) } });
    destination.accept([collected(), collected({ type: "event", name: "Signup", props: { plan: "pro" } })]);
    await destination.close();
    expect(out.join("")).toBe(
      '2024-05-01T12:00:00.000Z shop.example pageview /cart\n2024-05-01T12:00:00.000Z shop.example event Signup {"plan":"pro"}\n',
    );
  });

  it("prints the stored row as one JSON object per line in json format", async () => {
    const out: string[] = [];
    const destination = consoleDestination({ format: "json", stream: { write: (s: string) => out.push(s) } });
    const event = collected();
    destination.accept([event]);
    await destination.close();
    expect(JSON.parse(out.join(""))).toEqual(event.row);
  });
});
