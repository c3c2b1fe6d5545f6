// A short, human name for the device behind a User-Agent header ("Firefox on Linux", "Safari on
// iPhone"), for the sessions list and the security log. The header is whatever the client sent,
// so the answer is always built from our own words, never from pieces of the header.

const BROWSERS: readonly [RegExp, string][] = [
  // Order matters: most browsers also claim to be Chrome, Safari or Mozilla.
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b|\bOPT\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\bDuckDuckGo\//, 'DuckDuckGo'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChromium\//, 'Chromium'],
  [/\bChrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bMSIE |\bTrident\//, 'Internet Explorer'],
];

// Scripts and command-line tools that call the API with a personal access token.
const TOOLS: readonly [RegExp, string][] = [
  [/^curl\//i, 'curl'],
  [/^Wget\//i, 'Wget'],
  [/^python-requests\/|^python-httpx\/|^Python-urllib\/|^aiohttp\//i, 'Python script'],
  [/^node-fetch\/|^undici\b|^node\b|^axios\//i, 'Node.js script'],
  [/^Go-http-client\//i, 'Go program'],
  [/^okhttp\//i, 'OkHttp client'],
  [/^PostmanRuntime\//i, 'Postman'],
  [/^HTTPie\//i, 'HTTPie'],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\biPod\b/, 'iPod'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows Phone\b/, 'Windows Phone'],
  [/\bWindows\b/, 'Windows'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bUbuntu\b/, 'Ubuntu'],
  [/\bFedora\b/, 'Fedora'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
  [/\bFreeBSD\b/, 'FreeBSD'],
  [/\bOpenBSD\b/, 'OpenBSD'],
];

function firstMatch(table: readonly [RegExp, string][], agent: string): string | undefined {
  return table.find(([pattern]) => pattern.test(agent))?.[1];
}

/** "Firefox on Linux", "Safari on iPhone", "curl", or a vaguer phrase when we cannot tell. */
export function describeDevice(userAgent: string | null | undefined): string {
  const agent = userAgent?.trim().slice(0, 512) ?? '';
  if (agent === '') return 'Unknown device';
  const tool = firstMatch(TOOLS, agent);
  if (tool) return tool;
  const browser = firstMatch(BROWSERS, agent);
  const system = firstMatch(SYSTEMS, agent);
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  return 'Unknown browser';
}

export type DeviceKind = 'phone' | 'tablet' | 'computer' | 'tool' | 'unknown';

/** The kind of device, for an icon beside the label. */
export function deviceKind(userAgent: string | null | undefined): DeviceKind {
  const agent = userAgent?.trim().slice(0, 512) ?? '';
  if (agent === '') return 'unknown';
  if (firstMatch(TOOLS, agent)) return 'tool';
  if (/\biPad\b|\bTablet\b/.test(agent)) return 'tablet';
  if (/\biPhone\b|\biPod\b|\bMobile\b|\bAndroid\b/.test(agent)) return 'phone';
  if (firstMatch(SYSTEMS, agent)) return 'computer';
  return 'unknown';
}
