/**
 * In-process notice that a study changed, so the search indexer (and later live updates) can wake
 * at once instead of waiting for their next poll. Changes made by other processes (a CLI ingest)
 * are still found by polling the outbox. A singleton: server.ts and the Remix build each load
 * their own copy of this module.
 */
import { EventEmitter } from "node:events";
import { singleton } from "#app/singleton.server";

export function studyEvents(): EventEmitter {
  return singleton("study-events", () => new EventEmitter().setMaxListeners(100));
}

export function notifyStudyChanged(studyId: number): void {
  // Emitted after the caller's transaction code ran; listeners must read the database later
  // (setImmediate) so they see the committed state.
  const events = studyEvents();
  if (events.listenerCount("changed") > 0) setImmediate(() => events.emit("changed", studyId));
}
