import { describe, expect, it } from "vitest";
import { checkEnvPrefixes, envOverrideName, envOverridesIn, findEnvOverride } from "./env-overrides.js";

describe("env overrides", () => {
  const env = {
    TRACKLET__WEBSERVER__ANALYTICS_ID: " G-TRACKLET ",
    AIRFLOW__WEBSERVER__ANALYTICS_ID: "G-AIRFLOW",
    AIRFLOW__WEBSERVER__ANALYTICS_TOOL: "google_analytics",
    AIRFLOW__WEBSERVER__lower_case: "ignored",
    TRACKLET__COLLECTOR__STORE: "x.sqlite",
  };

  it("spells PREFIX__SECTION__OPTION in upper case", () => {
    expect(envOverrideName("TRACKLET", "webserver", "analytics_id")).toBe(
      "TRACKLET__WEBSERVER__ANALYTICS_ID",
    );
  });

  it("takes the first prefix that sets the option, trimmed", () => {
    expect(findEnvOverride(env, ["TRACKLET", "AIRFLOW"], "webserver", "analytics_id")).toEqual({
      name: "TRACKLET__WEBSERVER__ANALYTICS_ID",
      value: "G-TRACKLET",
    });
    expect(findEnvOverride(env, ["TRACKLET", "AIRFLOW"], "webserver", "analytics_tool")?.name).toBe(
      "AIRFLOW__WEBSERVER__ANALYTICS_TOOL",
    );
    expect(findEnvOverride(env, ["AIRFLOW"], "collector", "store")).toBeUndefined();
  });

  it("lists the overrides of one section with their options in lower case", () => {
    expect(envOverridesIn(env, ["TRACKLET", "AIRFLOW"], "webserver")).toEqual([
      { option: "analytics_id", name: "TRACKLET__WEBSERVER__ANALYTICS_ID" },
      { option: "analytics_id", name: "AIRFLOW__WEBSERVER__ANALYTICS_ID" },
      { option: "analytics_tool", name: "AIRFLOW__WEBSERVER__ANALYTICS_TOOL" },
    ]);
  });

  it("refuses prefixes that could not be an environment variable's start", () => {
    expect(() => checkEnvPrefixes(["TRACKLET", "MY_APP2"])).not.toThrow();
    expect(() => checkEnvPrefixes(["tracklet"])).toThrow(TypeError);
    expect(() => checkEnvPrefixes(["MY-APP"])).toThrow('got "MY-APP"');
  });
});
