import { applyDecorators, Header } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { CSV_CONTENT_TYPE, CSV_EXPORT_CAP } from './csv';

/**
 * A list's `…/export.csv` route: the CSV content type and attachment name, and its OpenAPI answers (the
 * CSV, or the list's own 400). `rows` says what the same filters find and in what order; `note` adds to it.
 * The exception filter resets both headers when the route answers an error.
 */
export function CsvExport(fileName: string, rows: string, note?: string) {
  return applyDecorators(
    ApiProduces(CSV_CONTENT_TYPE),
    ApiOkResponse({
      description: `${rows}, as CSV (every page, at most ${CSV_EXPORT_CAP} rows${note ? `; ${note}` : ''})`,
      schema: { type: 'string' },
    }),
    ApiBadRequestResponse({ description: 'the same as the list' }),
    Header('Content-Type', CSV_CONTENT_TYPE),
    Header('Content-Disposition', `attachment; filename="${fileName}"`),
  );
}
