import { Body, Controller, Get, Header, Put, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../../common/auth/auth-user';
import { Authenticated } from '../../../common/auth/authenticated.decorator';
import { NoStore } from '../../../common/http/no-store';
import { AnalysisQueryDto, CandidateAttributesDto, DifAnalysisDto, DifQueryDto, ExamAnalysisDto } from './dto/analysis.dto';
import { ExamAnalysisExportService } from './exam-analysis-export.service';
import { ExamAnalysisService } from './exam-analysis.service';

const CSV = 'text/csv; charset=utf-8';

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@NoStore()
@Controller('admin/exams/aida/analysis')
export class ExamAnalysisController {
  constructor(
    private readonly analysis: ExamAnalysisService,
    private readonly exports: ExamAnalysisExportService,
  ) {}

  @Get()
  @ApiOkResponse({ type: ExamAnalysisDto })
  @ApiNotFoundResponse({ description: 'no such exam window' })
  analyse(@Query() q: AnalysisQueryDto): Promise<ExamAnalysisDto> {
    return this.analysis.analyse(q.window);
  }

  @Get('dif')
  @ApiOkResponse({ type: DifAnalysisDto })
  dif(@Query() q: DifQueryDto): Promise<DifAnalysisDto> {
    return this.analysis.dif(q.window ?? 'current', q.attribute, q.reference, q.focal, q.minGroup);
  }

  @Get('items.csv')
  @ApiProduces(CSV)
  @ApiOkResponse({ description: 'every item statistic, one row per item version', schema: { type: 'string' } })
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="aida-item-analysis.csv"')
  itemsCsv(@Query() q: AnalysisQueryDto): Promise<string> {
    return this.exports.itemsCsv(q.window ?? 'current');
  }

  @Get('scores.csv')
  @ApiProduces(CSV)
  @ApiOkResponse({ description: 'the score distribution and the reliability figures', schema: { type: 'string' } })
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="aida-scores.csv"')
  scoresCsv(@Query() q: AnalysisQueryDto): Promise<string> {
    return this.exports.scoresCsv(q.window ?? 'current');
  }

  @Get('dif.csv')
  @ApiProduces(CSV)
  @ApiOkResponse({ description: 'Mantel–Haenszel DIF per item', schema: { type: 'string' } })
  @Header('Content-Type', CSV)
  @Header('Content-Disposition', 'attachment; filename="aida-dif.csv"')
  difCsv(@Query() q: DifQueryDto): Promise<string> {
    return this.exports.difCsv(q.window ?? 'current', q.attribute, q.reference, q.focal, q.minGroup);
  }
}

@ApiTags('AIDA examination')
@Authenticated({ roles: ['candidate'] })
@Controller('me/attributes')
export class CandidateAttributesController {
  constructor(private readonly analysis: ExamAnalysisService) {}

  @Get()
  @ApiOkResponse({ type: CandidateAttributesDto, description: 'what this candidate has declared (null: not declared)' })
  mine(@CurrentUser() user: AuthUser): Promise<CandidateAttributesDto> {
    return this.analysis.myAttributes(user);
  }

  @Put()
  @ApiOkResponse({ type: CandidateAttributesDto })
  declare(@CurrentUser() user: AuthUser, @Body() dto: CandidateAttributesDto): Promise<CandidateAttributesDto> {
    return this.analysis.declareAttributes(user, dto);
  }
}
