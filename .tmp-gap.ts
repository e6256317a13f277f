import { startOfDayInTimeZone, calendarDateInTimeZone } from "/work/main/app/domain/inclusion-status.ts";
import { tzScan } from "@date-fns/tz";
for (const [zone, d] of [["America/Santiago","2026-09-06"],["Asia/Beirut","2026-03-29"],["America/Havana","2026-03-08"],["America/Havana","2026-11-01"],["America/Sao_Paulo","2018-11-04"],["Europe/Oslo","1916-10-01"],["Europe/Oslo","2026-03-29"]]) {
  const s = startOfDayInTimeZone(d, zone);
  console.log(zone, d, s.toISOString(), calendarDateInTimeZone(new Date(s.getTime()-1), zone), calendarDateInTimeZone(s, zone),
    tzScan(zone, { start: new Date(s.getTime() - 2*86400000), end: new Date(s.getTime() + 2*86400000) }).map(x=>x.date.toISOString()+" "+x.offset).join(","));
}
