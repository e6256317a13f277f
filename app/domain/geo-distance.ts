/** Great-circle distance (haversine): "12 km from your postcode" on pages, and the engines' distance sort. */
/** The mean Earth radius (IUGG). */
const EARTH_RADIUS_KM = 6371.0088;

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whole kilometres, but never "0 km": a site in the same town is "1 km" or less away. */
export function roundKm(km: number): number {
  return Math.max(1, Math.round(km));
}
