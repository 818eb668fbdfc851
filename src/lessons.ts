import { getCollection, type CollectionEntry } from 'astro:content';

export type LessonEntry = CollectionEntry<'lessons'>;

/** Returns every lesson in course order; two lessons with the same `order` fail the build. */
export async function getLessons(): Promise<LessonEntry[]> {
  const lessons = (await getCollection('lessons')).sort((a, b) => a.data.order - b.data.order);
  for (let i = 1; i < lessons.length; i++) {
    if (lessons[i].data.order === lessons[i - 1].data.order) {
      throw new Error(
        `invalid lesson order: ${lessons[i].data.order} (used by both ${lessons[i - 1].id} and ${lessons[i].id})`,
      );
    }
  }
  return lessons;
}

/** Builds the link to a paper from its arXiv id. */
export function paperUrl(arxiv: string): string {
  return `https://arxiv.org/abs/${arxiv}`;
}
