import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { type Credential, usePortfolio } from '../api/portfolio';
import { PortfolioEditor } from '../components/portfolio-editor';

export function PortfolioPage() {
  const credential = (useParams().credential?.toUpperCase() ?? 'CPAP') as Credential;
  const portfolio = usePortfolio(credential);
  return (
    <Page title={`${credential} portfolio`}>
      {portfolio.error && (portfolio.error as Error & { statusCode?: number }).statusCode === 409 ? (
        // Locked until a prerequisite is passed: say why and how to unlock it, not an error.
        <>
          <Alert kind="info">{portfolio.error.message}.</Alert>
          <p className="actions">
            <Link className="button" to="/candidate/aida">
              Take the AIDA exam
            </Link>
            <Link className="button button-secondary" to={`/credentials/${credential.toLowerCase()}`}>
              What the {credential} asks of you
            </Link>
          </p>
        </>
      ) : (
        portfolio.error && <Alert>{portfolio.error.message}</Alert>
      )}
      {portfolio.isPending && <p role="status">Loading your portfolio…</p>}
      {portfolio.data && <PortfolioEditor key={portfolio.data.id} credential={credential} portfolio={portfolio.data} />}
    </Page>
  );
}
