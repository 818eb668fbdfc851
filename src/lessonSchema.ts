import { z } from 'astro/zod';

/** A paper a lesson is built on, cited in its header and reference list. */
export const paperSchema = z.object({
  /** Short citation, e.g. "He et al. 2016". */
  cite: z.string().min(1),
  /** Full title of the paper. */
  title: z.string().min(1),
  /** arXiv identifier such as "1603.05027"; used to link the paper. */
  arxiv: z
    .string()
    .regex(/^\d{4}\.\d{4,5}$/, 'expected an arXiv id such as 1603.05027')
    .optional(),
});

/** Frontmatter every lesson must have; a mistake fails the build with the field and the reason. */
export const lessonSchema = z.object({
  title: z.string().min(1),
  /** Position in the course; lessons are listed and chained in this order. */
  order: z.number().int().nonnegative(),
  /** One or two sentences for the index page and the page description. */
  summary: z.string().min(20).max(300),
  papers: z.array(paperSchema).default([]),
  /** Estimated reading-and-running time in minutes. */
  minutes: z.number().int().positive().max(240),
});

export type Lesson = z.infer<typeof lessonSchema>;
export type Paper = z.infer<typeof paperSchema>;
