// Builds the script-tag bundles (minified IIFEs) and the ESM/CJS library; declarations come from tsc.
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";

const ts = () =>
  typescript({
    tsconfig: "./tsconfig.build.json",
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    outDir: "dist",
    noEmit: false,
    module: "esnext",
    moduleResolution: "bundler",
    emitDeclarationOnly: false,
  });

// Property names starting with `_` are internal and mangled; public option and method names are kept.
// `keep_fargs: false` drops unused trailing parameters (nothing reads a function's `length`); `JSON.stringify`
// as a pure function may move into the branch that uses its result (the core build stringifies only to send);
// `unsafe_comps` may flip comparisons, safe here since none compares NaN or objects; passes until it stops
// shrinking.
const minify = () =>
  terser({
    ecma: 2020,
    toplevel: true,
    compress: {
      passes: 5,
      unsafe_comps: true,
      unsafe: true,
      unsafe_arrows: true,
      unsafe_methods: true,
      pure_getters: true,
      keep_fargs: false,
      pure_funcs: ["JSON.stringify"],
    },
    mangle: { properties: { regex: /^_/ } },
    format: { comments: false },
  });

// The script builds are the same source with their own build flags (src/build-flags.ts): all without the
// library-only API (`ESM = false`); the standard build also without link clicks, bridges and filters; the
// core also without the full feature set (`FULL = false`).
const flags = (full, extras) => ({
  name: "build-flags",
  resolveId: (id) => (id === "./build-flags.js" ? "\0build-flags" : null),
  load: (id) =>
    id === "\0build-flags"
      ? `export const FULL = ${full}, ESM = false, LINKS = ${extras}, BRIDGES = ${extras}, FILTER = ${extras};`
      : null,
});

const script = (file, plugins = []) => ({
  input: "src/script.ts",
  output: { file, format: "iife", strict: false },
  plugins: [...plugins, ts(), minify()],
});

export default [
  script("dist/tracklet.js", [flags(true, true)]),
  script("dist/tracklet.standard.js", [flags(true, false)]),
  script("dist/tracklet.core.js", [flags(false, false)]),
  {
    input: { index: "src/index.ts", wire: "src/wire.ts" },
    output: [
      { dir: "dist", format: "es", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
      { dir: "dist", format: "cjs", entryFileNames: "[name].cjs", chunkFileNames: "[name]-[hash].cjs" },
    ],
    plugins: [ts()],
  },
];
