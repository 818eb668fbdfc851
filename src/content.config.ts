import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './lessonSchema.ts';

const lessons = defineCollection({
  loader: glob({ base: './content/lessons', pattern: '[0-9][0-9]-*.mdx' }),
  schema: lessonSchema,
});

export const collections = { lessons };
