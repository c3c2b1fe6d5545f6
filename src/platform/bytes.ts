// Sizes for people: "3.2 MB", "870 KB", "16 GB" (1 MB = 2^20 bytes, as the tier limits count).
const MB = 1024 * 1024;
const GB = 1024 * MB;

export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${Number((bytes / GB).toFixed(1))} GB`;
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}
