// Entry of both script-tag builds: dist/tracklet.js, and dist/tracklet.core.js built with FULL = false.
import { installGlobal } from "./global.js";

installGlobal();
