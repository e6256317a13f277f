/** The two sizes every page is checked at: a common phone and a laptop screen. */
export const VIEWPORTS = [
  { name: "phone", viewport: { width: 390, height: 844 } },
  { name: "desktop", viewport: { width: 1280, height: 900 } },
] as const;
