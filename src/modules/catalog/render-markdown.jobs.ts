// catalog:render_markdown, every minute: stores the rendering of markdown that has none yet
// (rows from before migration 0035, or written without it). Until then readers render such
// rows themselves, so the job only takes that cost off the pages. Safe to run twice: a row is
// rendered only while its rendering is missing and its source unchanged.
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import { renderMissingText } from './rendered-text.repository.js';

export const renderMarkdownJob = defineJob('catalog:render_markdown', z.looseObject({}));

export const RENDER_MARKDOWN_CRONTAB = renderMarkdownJob.cron('* * * * *');

export function renderMarkdownTask(db: Db): TaskDefinition<Record<string, unknown>> {
  return renderMarkdownJob.task(async (_payload, context) => {
    let rendered = 0;
    for (;;) {
      const batch = await renderMissingText(db);
      rendered += batch;
      if (batch === 0 || context.signal.aborted) break;
    }
    if (rendered > 0) context.log.info({ rendered }, 'markdown rendered');
  });
}
