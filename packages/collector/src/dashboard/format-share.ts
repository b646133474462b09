/** `0.4213` → `42.1%`. */
export function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
