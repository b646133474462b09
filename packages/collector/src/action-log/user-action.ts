/**
 * One logged call, field for field the `UserAction` record of Amundsen's `action_logging` (Lyft's IDL): JSON
 * strings for arguments and output so the record stays flat for an event pipeline or warehouse.
 */
export interface UserAction {
  /** Sending host name. */
  host_name: string;
  start_epoch_ms: number;
  end_epoch_ms: number;
  /** JSON array of positional arguments. */
  pos_args_json: string;
  /** JSON object of keyword arguments (`{}` when none). */
  keyword_args_json: string;
  /** JSON of the return (or resolved) value, truncated; null when the call failed or returned undefined. */
  output: string | null;
  /** Error message and stack trace when the call threw or rejected, else null. */
  error: string | null;
  user: string | null;
}
