import { BUDGETS, type Budget, type BudgetName } from '../lib/budget.ts';

export type { Budget, BudgetName };

/** The budget names a lesson page offers, smallest first. */
export const budgetNames = Object.keys(BUDGETS) as BudgetName[];

/** Checks a budget name, falling back to `quick` for anything unknown (an old stored value, say). */
export function toBudgetName(name: string | null | undefined): BudgetName {
  return (budgetNames as string[]).includes(name ?? '') ? (name as BudgetName) : 'quick';
}

/** Returns the budget cells see as `budget`: a copy, so a cell that changes it cannot change the page's. */
export function resolveBudget(name: BudgetName): Budget {
  return { ...BUDGETS[name] };
}
