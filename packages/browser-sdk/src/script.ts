// Entry of dist/tracklet.js: the script-tag build with every feature.
import { bridges } from "./bridges.js";
import { clicks } from "./clicks.js";
import { contexts } from "./contexts.js";
import { engagement } from "./engagement.js";
import { events } from "./events.js";
import { filters } from "./filters.js";
import { installGlobal } from "./global.js";

installGlobal([filters, events, contexts, engagement, bridges, clicks]);
