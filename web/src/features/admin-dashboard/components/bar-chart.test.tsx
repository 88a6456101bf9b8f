import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BarChart } from './bar-chart';

const chart = (values: number[], passed = values.map(() => 0)) =>
  renderToStaticMarkup(
    <BarChart
      title="AIDA attempts per day"
      summary="Bar chart of AIDA attempts per day: 5 started."
      categoryHeader="Day (UTC)"
      categories={['2026-12-01', '2026-12-02']}
      categoryLabels={['12-01', '12-02']}
      series={[
        { name: 'Started', values, look: 'solid' },
        { name: 'Passed', values: passed, look: 'striped' },
      ]}
    />,
  );

describe('the dashboard bar chart', () => {
  it('is one image named by its summary, with a data table behind a disclosure', () => {
    const html = chart([2, 3], [1, 0]);
    expect(html).toContain('role="img" aria-label="Bar chart of AIDA attempts per day: 5 started."');
    expect(html).toMatch(/<details class="dash-data"><summary>Show data table<\/summary>/);
    expect(html).toContain('<caption>AIDA attempts per day</caption>');
    expect(html).toContain('<th scope="col">Day (UTC)</th><th scope="col">Started</th><th scope="col">Passed</th>');
    expect(html).toContain('<tr><th scope="row">2026-12-01</th><td>2</td><td>1</td></tr>');
    expect(html).toContain('<tr><th scope="row">2026-12-02</th><td>3</td><td>0</td></tr>');
  });

  it('draws one bar per non-zero value, the second series striped, and says which is which in a legend', () => {
    const html = chart([2, 3], [1, 0]);
    expect(html.match(/<rect [^>]*class="dash-bar dash-bar-solid"/g)).toHaveLength(2 + 1); // two bars and the legend swatch
    expect(html.match(/<rect [^>]*class="dash-bar dash-bar-striped" fill="url\(#/g)).toHaveLength(1 + 1);
    expect(html).toMatch(/<ul class="dash-legend" aria-hidden="true">.*Started.*Passed.*<\/ul>/);
  });

  it('draws no bars, but still an axis and a table of zeros, when there is nothing to show', () => {
    const html = chart([0, 0]);
    expect(html).not.toMatch(/<rect [^>]*class="dash-bar dash-bar-solid" fill/);
    expect(html.match(/<rect [^>]*class="dash-bar /g)).toHaveLength(2); // the legend's swatches only
    expect(html).toContain('<td>0</td>');
  });
});
