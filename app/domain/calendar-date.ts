/**
 * Calendar dates ("YYYY-MM-DD") as the portal stores them: a day in Europe/Oslo,
 * never an instant. Inclusion start and end dates are calendar dates.
 */
import { z } from "zod";

export const PORTAL_TIME_ZONE = "Europe/Oslo";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written as YYYY-MM-DD (no 2027-02-29, no 2026-13-01). */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 2200) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this month (UTC: no DST involved).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Splits a date that has already been validated. */
export function calendarDateParts(value: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(value);
  if (!match || !isCalendarDate(value)) {
    throw new RangeError(`"${value}" is not a calendar date (YYYY-MM-DD)`);
  }
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** Adds whole days to a calendar date (calendar arithmetic, independent of time zones). */
export function addCalendarDays(value: string, days: number): string {
  const { year, month, day } = calendarDateParts(value);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return shifted.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
/**
 * The same day `months` calendar months later; a day the target month lacks becomes its last day
 * (31 August + 6 months = 28 or 29 February).
 */
export function addCalendarMonths(value: string, months: number): string {
  const { year, month, day } = calendarDateParts(value);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(day, daysInMonth(y, m));
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function calendarDaysBetween(from: string, to: string): number {
  const a = calendarDateParts(from);
  const b = calendarDateParts(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

export const calendarDateSchema = z
  .string()
  .trim()
  .refine(isCalendarDate, { message: "må være en gyldig dato på formen ÅÅÅÅ-MM-DD" });
