import { Controller, Get, Headers, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/authenticated.decorator';
import { bearerTokenMatches } from './bearer-token';
import { MetricsRegistry } from './metrics-registry';

/**
 * `GET /metrics` (outside /api) in Prometheus' text format, for a scraper holding METRICS_TOKEN. It is not
 * part of the API (left out of the OpenAPI document) and answers like an unknown path while no token is
 * configured. @Public: the token is the scraper's, not a user's access token, and is checked here.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.metrics.token;
    if (token === undefined) throw new NotFoundException('Cannot GET /metrics');
    if (!bearerTokenMatches(authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('A valid metrics token is required');
    }
    const body = await this.metrics.registry.metrics();
    // Written as is: Express' send() would rewrite the exposition format's Content-Type.
    res.status(200).setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  }
}
