/** The freeze calendar as the plan asks it: the first moment no freeze forbids a swap, and which freeze it waited for. */
import { firstFreeMoment, freezeAt, type FreezeCalendar } from '../freeze/calendar';
import type { FreeMoment } from './preview';

export function freeMomentsOf(calendar: FreezeCalendar, overridden?: ReadonlySet<string>): FreeMoment {
  return (at) => {
    const free = firstFreeMoment(calendar, at, overridden);
    if (free <= at) return { at };
    const freeze = freezeAt(calendar, at, overridden);
    return { at: free, ...(freeze ? { freeze: { id: freeze.id, name: freeze.name } } : {}) };
  };
}
