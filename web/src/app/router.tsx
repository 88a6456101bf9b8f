import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { Layout } from '../components/layout';
import { RequireRole } from '../components/require-role';
import { AdminHome } from './homes/admin-home';
import { BankItemPage } from '../features/bank/routes/bank-item-page';
import { BankPage } from '../features/bank/routes/bank-page';
import { MailMessagePage } from '../features/mail/routes/mail-message-page';
import { MailPage } from '../features/mail/routes/mail-page';
import { LoginPage } from '../features/people/auth/routes/login-page';
import { RegisterPage } from '../features/people/auth/routes/register-page';
import { AdminCertificatesPage } from '../features/certificates/admin/routes/admin-certificates-page';
import { ExamAdminPage } from '../features/exam/admin/routes/exam-admin-page';
import { BoardPage } from '../features/review/admin/routes/board-page';
import { PortfolioPage } from '../features/portfolio/routes/portfolio-page';
import { SubmissionPage } from '../features/portfolio/routes/submission-page';
import { AssignmentPage } from '../features/review/routes/assignment-page';
import { MyCertificatesPage } from '../features/certificates/routes/my-certificates-page';
import { VerifyPage } from '../features/certificates/verify/routes/verify-page';
import { CandidateHome } from './homes/candidate-home';
import { AttemptPage } from '../features/exam/routes/attempt-page';
import { ExamPage } from '../features/exam/routes/exam-page';
import { ResultPage } from '../features/exam/routes/result-page';
import { ReviewerHome } from '../features/review/routes/reviewer-home';
import { InterviewPage } from '../features/panels/interview/routes/interview-page';
import { AvailabilityPage } from '../features/panels/routes/availability-page';
import { PanelPage } from '../features/panels/routes/panel-page';
import { PanelsPage } from '../features/panels/routes/panels-page';
import { AdminPanelsPage } from '../features/panels/admin/routes/admin-panels-page';
import { ReviewQueuePage } from '../features/bank/review/routes/review-queue-page';
import { ItemReviewPage } from '../features/bank/review/routes/item-review-page';
import { HomePage } from './home-page';
import { NotFoundPage } from './not-found-page';

// The console pages carry the charting library: loaded only when an administrator or rater opens them.
const AnalysisPage = lazy(() => import('../features/exam/analysis/routes/analysis-page').then((m) => ({ default: m.AnalysisPage })));
const StudiesPage = lazy(() => import('../features/exam/standard-setting/routes/studies-page').then((m) => ({ default: m.StudiesPage })));
const StudyPage = lazy(() => import('../features/exam/standard-setting/routes/study-page').then((m) => ({ default: m.StudyPage })));
const RatingPage = lazy(() => import('../features/exam/standard-setting/routes/rating-page').then((m) => ({ default: m.RatingPage })));
const loading = (page: ReactNode) => <Suspense fallback={<p role="status">Loading…</p>}>{page}</Suspense>;

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/register', element: <RegisterPage /> },
      {
        path: '/candidate',
        element: (
          <RequireRole role="candidate">
            <CandidateHome />
          </RequireRole>
        ),
      },
      {
        path: '/candidate/aida',
        element: (
          <RequireRole role="candidate">
            <ExamPage />
          </RequireRole>
        ),
      },
      {
        path: '/candidate/aida/attempts/:attemptId',
        element: (
          <RequireRole role="candidate">
            <AttemptPage />
          </RequireRole>
        ),
      },
      {
        path: '/candidate/aida/attempts/:attemptId/result',
        element: (
          <RequireRole role="candidate">
            <ResultPage />
          </RequireRole>
        ),
      },
      {
        path: '/candidate/certificates',
        element: (
          <RequireRole role="candidate">
            <MyCertificatesPage />
          </RequireRole>
        ),
      },
      {
        path: '/candidate/portfolio/:credential',
        element: (
          <RequireRole role="candidate">
            <PortfolioPage />
          </RequireRole>
        ),
      },
      {
        path: '/candidate/portfolio/submissions/:submissionId',
        element: (
          <RequireRole role="candidate">
            <SubmissionPage />
          </RequireRole>
        ),
      },
      {
        path: '/candidate/cpaa/interview',
        element: (
          <RequireRole role="candidate">
            <InterviewPage />
          </RequireRole>
        ),
      },
      {
        path: '/reviewer/availability',
        element: (
          <RequireRole role="reviewer">
            <AvailabilityPage />
          </RequireRole>
        ),
      },
      {
        path: '/reviewer/panels',
        element: (
          <RequireRole role="reviewer">
            <PanelsPage />
          </RequireRole>
        ),
      },
      {
        path: '/reviewer/panels/:bookingId',
        element: (
          <RequireRole role="reviewer">
            <PanelPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/panels',
        element: (
          <RequireRole role="admin">
            <AdminPanelsPage />
          </RequireRole>
        ),
      },
      {
        path: '/reviewer/assignments/:assignmentId',
        element: (
          <RequireRole role="reviewer">
            <AssignmentPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/submissions',
        element: (
          <RequireRole role="admin">
            <BoardPage />
          </RequireRole>
        ),
      },
      { path: '/verify', element: <VerifyPage /> },
      { path: '/verify/:number', element: <VerifyPage /> },
      {
        path: '/admin/certificates',
        element: (
          <RequireRole role="admin">
            <AdminCertificatesPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/exam',
        element: (
          <RequireRole role="admin">
            <ExamAdminPage />
          </RequireRole>
        ),
      },
      { path: '/admin/exam/analysis', element: <RequireRole role="admin">{loading(<AnalysisPage />)}</RequireRole> },
      { path: '/admin/exam/standard-setting', element: <RequireRole role="admin">{loading(<StudiesPage />)}</RequireRole> },
      { path: '/admin/exam/standard-setting/:studyId', element: <RequireRole role="admin">{loading(<StudyPage />)}</RequireRole> },
      { path: '/reviewer/standard-setting/:studyId', element: <RequireRole role="reviewer">{loading(<RatingPage />)}</RequireRole> },
      {
        path: '/reviewer/items',
        element: (
          <RequireRole role={['reviewer', 'admin']}>
            <ReviewQueuePage />
          </RequireRole>
        ),
      },
      {
        path: '/reviewer/items/:itemId',
        element: (
          <RequireRole role={['reviewer', 'admin']}>
            <ItemReviewPage />
          </RequireRole>
        ),
      },
      {
        path: '/reviewer',
        element: (
          <RequireRole role="reviewer">
            <ReviewerHome />
          </RequireRole>
        ),
      },
      {
        path: '/admin',
        element: (
          <RequireRole role="admin">
            <AdminHome />
          </RequireRole>
        ),
      },
      {
        path: '/admin/bank',
        element: (
          <RequireRole role="admin">
            <BankPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/bank/:itemId',
        element: (
          <RequireRole role="admin">
            <BankItemPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/mail',
        element: (
          <RequireRole role="admin">
            <MailPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/mail/:id',
        element: (
          <RequireRole role="admin">
            <MailMessagePage />
          </RequireRole>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
