import type { ExamAnalysis } from '../api/analysis';
import { DASH, decimal, percent } from '../lib/format';

interface Figure {
  label: string;
  value: string;
  meaning: string;
}

/** The headline figures, each with one sentence on what it means for the exam. */
export function ReliabilityFigures({ scores, reliability }: Pick<ExamAnalysis, 'scores' | 'reliability'>) {
  const { n, maxScore, mean, sd, cutScore, passRate } = scores;
  const figures: Figure[] = [
    {
      label: 'Candidates',
      value: String(n),
      meaning: 'Finished attempts (submitted or timed out) in the analysis; every figure below is computed from them.',
    },
    {
      label: 'Mean score',
      value: mean === null ? DASH : `${decimal(mean, 1)} of ${maxScore}`,
      meaning: `The average number of scored questions answered correctly, out of ${maxScore}.`,
    },
    {
      label: 'Standard deviation (SD)',
      value: decimal(sd),
      meaning: 'How spread out the scores are: about two in three candidates score within one SD of the mean.',
    },
    {
      label: 'KR-20 reliability',
      value: decimal(reliability.kr20),
      meaning:
        'How consistently the questions measure the same ability, from 0 to 1: a certification exam should reach 0.80; below 0.70 scores are too noisy to rely on.',
    },
    {
      label: 'Standard error of measurement (SEM)',
      value: reliability.sem === null ? DASH : `${decimal(reliability.sem)} points`,
      meaning:
        reliability.sem === null
          ? 'How far a candidate’s score could move on another form of the exam, in questions; it needs at least two finished attempts.'
          : `A candidate’s score could move by about ${decimal(reliability.sem, 1)} questions either way on another form of the exam, by chance alone.`,
    },
    {
      label: 'Decision agreement at the cut',
      value: percent(reliability.decisionAgreement, 1),
      meaning: 'The chance that a candidate would get the same pass or fail result on another form of the exam.',
    },
    {
      label: 'Decision kappa at the cut',
      value: decimal(reliability.decisionKappa),
      meaning: 'The same agreement with luck taken out: 0 is no better than chance, 1 is perfect; 0.6 or more is good.',
    },
    {
      label: 'Pass rate',
      value: percent(passRate, 1),
      meaning: `The share of candidates who scored at least the cut score of ${cutScore} of ${maxScore} (${scores.passMarkPercent}%).`,
    },
  ];
  return (
    <dl className="analysis-figures">
      {figures.map((f) => (
        <div key={f.label} className="analysis-figure-card">
          <dt>{f.label}</dt>
          <dd className="analysis-figure-value">{f.value}</dd>
          <dd className="analysis-figure-meaning">{f.meaning}</dd>
        </div>
      ))}
    </dl>
  );
}
