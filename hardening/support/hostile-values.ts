/**
 * Config values an attacker (or a careless copy-paste) could put in any option. Each one that manages to run
 * code calls `window.__pwned(tag)`, so a page that ran it is caught by name.
 */
export const HOSTILE_VALUES: ReadonlyArray<{ tag: string; value: string }> = [
  { tag: "close-script", value: '</script><script>window.__pwned("close-script")</script>' },
  { tag: "close-script-case", value: '</ScRiPt ><svg onload=window.__pwned("close-script-case")>' },
  { tag: "open-comment", value: '<!--<script>window.__pwned("open-comment")</script>' },
  { tag: "double-quote", value: '"-window.__pwned("double-quote")-"' },
  { tag: "single-quote", value: "'-window.__pwned('single-quote')-'" },
  { tag: "backtick", value: "`-window.__pwned(`backtick`)-`" },
  { tag: "backslash", value: '\\"-window.__pwned("backslash")//' },
  { tag: "attribute", value: '" onload="window.__pwned(\'attribute\')" x="' },
  { tag: "attribute-single", value: "' onerror='window.__pwned(`attribute-single`)' x='" },
  { tag: "line-separators", value: '\u2028window.__pwned("line-separators")//\u2029' },
  { tag: "handlebars", value: "{{constructor.constructor('window.__pwned(\"handlebars\")')()}}" },
  { tag: "handlebars-triple", value: "{{{x}}}}}{{" },
  { tag: "javascript-url", value: 'javascript:window.__pwned("javascript-url")' },
  { tag: "data-url", value: 'data:text/javascript,window.__pwned("data-url")' },
  { tag: "url-breakout", value: 'https://evil.example/"><script>window.__pwned("url-breakout")</script>' },
  { tag: "url-quote", value: "https://evil.example/x'-window.__pwned('url-quote')-'" },
  { tag: "nul", value: 'a\u0000</script><script>window.__pwned("nul")</script>' },
  { tag: "alert", value: "<img src=x onerror=alert(1)>" },
  { tag: "non-ascii", value: "Caf\u00e9 \u65e5\u672c\u8a9e \u{1F642} <b>" },
  { tag: "long", value: `${"A".repeat(100_000)}</script>` },
  { tag: "crlf", value: "a\r\n<script>window.__pwned('crlf')</script>" },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the hostile value.
  { tag: "template-literal", value: "${alert(1)}" },
  { tag: "percent", value: "100% </script>" },
  { tag: "protocol-relative", value: "//evil.example/x.js" },
  { tag: "backslash-path", value: "/\\evil.example/x.js" },
];
