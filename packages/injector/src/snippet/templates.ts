import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import type { AnalyticsTool } from "../types.js";
import { htmlAttribute, jsString, urlComponent } from "./escape.js";

/** The only helpers templates may use to print a value, one per output context. */
export const ESCAPING_HELPERS = ["js", "attr", "url"] as const;
const BLOCK_HELPERS = new Set(["if", "unless"]);

/** A Handlebars environment of its own, so the app's helpers can never leak into snippet rendering. */
const handlebars = Handlebars.create();

function escapingHelper(name: string, escapeFor: (value: string) => string): Handlebars.HelperDelegate {
  return (...args: unknown[]) => {
    const value = args.length === 2 ? args[0] : undefined;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new TypeError(
        `{{${name}}} needs exactly one string value, got ${value === null ? "null" : typeof value}`,
      );
    }
    return new handlebars.SafeString(escapeFor(String(value)));
  };
}

handlebars.registerHelper("js", escapingHelper("js", jsString));
handlebars.registerHelper("attr", escapingHelper("attr", htmlAttribute));
handlebars.registerHelper("url", escapingHelper("url", urlComponent));

/**
 * Reject templates that could print a value without context-aware escaping: every `{{…}}` must be
 * `{{js x}}`, `{{attr x}}` or `{{url x}}`; only `#if`/`#unless` blocks; no `{{{…}}}`, partials or decorators.
 */
export function checkTemplate(source: string, name: string): void {
  const fail = (node: hbs.AST.Node, why: string) => {
    throw new Error(`${name}:${node.loc?.start.line ?? "?"}: ${why}`);
  };
  const walk = (node: hbs.AST.Node): void => {
    switch (node.type) {
      case "Program":
        for (const child of (node as hbs.AST.Program).body) walk(child);
        return;
      case "ContentStatement":
      case "CommentStatement":
        return;
      case "MustacheStatement": {
        const m = node as hbs.AST.MustacheStatement;
        const helper = m.path.type === "PathExpression" ? (m.path as hbs.AST.PathExpression).original : "";
        if (!m.escaped) fail(node, "raw {{{…}}} output is not allowed; use {{js}}, {{attr}} or {{url}}");
        if (!(ESCAPING_HELPERS as readonly string[]).includes(helper) || m.params.length !== 1 || m.hash) {
          fail(
            node,
            `values must be printed with {{js value}}, {{attr value}} or {{url value}}; found {{${helper}}}`,
          );
        }
        for (const param of m.params)
          if (param.type === "SubExpression") fail(node, "sub-expressions are not allowed");
        return;
      }
      case "BlockStatement": {
        const b = node as hbs.AST.BlockStatement;
        const helper = b.path.type === "PathExpression" ? (b.path as hbs.AST.PathExpression).original : "";
        if (!BLOCK_HELPERS.has(helper))
          fail(node, `only {{#if}} and {{#unless}} blocks are allowed; found {{#${helper}}}`);
        walk(b.program);
        if (b.inverse) walk(b.inverse);
        return;
      }
      default:
        fail(node, `${node.type} is not allowed in snippet templates`);
    }
  };
  walk(handlebars.parse(source));
}

/** `templates/` next to `src/` (tests, tsx) or to `dist/` (the built package). */
export function defaultTemplatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, "../templates"), resolve(here, "../../templates")];
  const found = candidates.find((dir) => existsSync(join(dir, "google_analytics.hbs")));
  if (!found)
    throw new Error(`snippet templates not found (looked in ${candidates.join(", ")}); pass templatesDir`);
  return found;
}

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Load, check and compile `<dir>/<tool>.hbs` once per process. */
export function loadTemplate(tool: AnalyticsTool, templatesDir: string): Handlebars.TemplateDelegate {
  const path = join(templatesDir, `${tool}.hbs`);
  const cached = compiled.get(path);
  if (cached) return cached;
  const source = readFileSync(path, "utf8");
  checkTemplate(source, path);
  const template = handlebars.compile(source, { strict: false, knownHelpersOnly: false, noEscape: false });
  compiled.set(path, template);
  return template;
}
