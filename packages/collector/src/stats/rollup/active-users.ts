import type { StatsResult } from "../types.js";
import type { PeopleOf } from "./people.js";
import { ACTIVE_USER_WINDOWS } from "./windows.js";

/** DAU, WAU and MAU: the `all` people of their windows. */
export function rollupActiveUsers(people: PeopleOf): StatsResult["activeUsers"] {
  const active = (id: number) => people(id, "all").get("") ?? 0;
  return {
    dau: active(ACTIVE_USER_WINDOWS.dau),
    wau: active(ACTIVE_USER_WINDOWS.wau),
    mau: active(ACTIVE_USER_WINDOWS.mau),
  };
}
