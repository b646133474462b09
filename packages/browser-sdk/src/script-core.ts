// Entry of dist/tracklet.core.js: pageviews, SPA navigation and transport only.
import { installGlobal } from "./global.js";

installGlobal([]);
