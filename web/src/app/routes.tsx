import { type RouteObject } from 'react-router';
import { Layout } from '../components/layout';
import { RequireRole } from '../components/require-role';
import { VerifyPage } from '../features/certificates/verify/routes/verify-page';
import { HolderPage } from '../features/certificates/routes/holder-page';
import { UnverifiedEmailBanner } from '../features/people/auth/components/unverified-email-banner';
import { ForgotPasswordPage } from '../features/people/auth/routes/forgot-password-page';
import { LoginPage } from '../features/people/auth/routes/login-page';
import { RegisterPage } from '../features/people/auth/routes/register-page';
import { ResetPasswordPage } from '../features/people/auth/routes/reset-password-page';
import { VerifyEmailPage } from '../features/people/auth/routes/verify-email-page';
import { ConfirmEmailChangePage } from '../features/people/auth/routes/confirm-email-change-page';
import { CredentialPage } from '../features/programme/routes/credential-page';
import { FrameworkPage } from '../features/programme/routes/framework-page';
import { CREDENTIAL_PAGES } from '../lib/credential-paths';
import { HomePage } from './home-page';
import { NotFoundPage } from './not-found-page';

/**
 * Public pages load with the shell; every role's pages are nested under that role's gate and
 * loaded when first opened, so a candidate's browser never downloads the consoles.
 */
const candidate: RouteObject[] = [
  { index: true, lazy: () => import('./homes/candidate-home').then((m) => ({ Component: m.CandidateHome })) },
  { path: 'aida', lazy: () => import('../features/exam/routes/exam-page').then((m) => ({ Component: m.ExamPage })) },
  {
    path: 'aida/attempts/:attemptId',
    lazy: () => import('../features/exam/routes/attempt-page').then((m) => ({ Component: m.AttemptPage })),
  },
  {
    path: 'aida/attempts/:attemptId/result',
    lazy: () => import('../features/exam/routes/result-page').then((m) => ({ Component: m.ResultPage })),
  },
  {
    path: 'certificates',
    lazy: () => import('../features/certificates/routes/my-certificates-page').then((m) => ({ Component: m.MyCertificatesPage })),
  },
  {
    path: 'portfolio/:credential',
    lazy: () => import('../features/portfolio/routes/portfolio-page').then((m) => ({ Component: m.PortfolioPage })),
  },
  {
    path: 'portfolio/submissions/:submissionId',
    lazy: () => import('../features/portfolio/routes/submission-page').then((m) => ({ Component: m.SubmissionPage })),
  },
  {
    path: 'cpaa/interview',
    lazy: () => import('../features/panels/interview/routes/interview-page').then((m) => ({ Component: m.InterviewPage })),
  },
];

const reviewer: RouteObject[] = [
  { index: true, lazy: () => import('../features/review/routes/reviewer-home').then((m) => ({ Component: m.ReviewerHome })) },
  {
    path: 'assignments/:assignmentId',
    lazy: () => import('../features/review/routes/assignment-page').then((m) => ({ Component: m.AssignmentPage })),
  },
  {
    path: 'availability',
    lazy: () => import('../features/panels/routes/availability-page').then((m) => ({ Component: m.AvailabilityPage })),
  },
  { path: 'panels', lazy: () => import('../features/panels/routes/panels-page').then((m) => ({ Component: m.PanelsPage })) },
  { path: 'panels/:bookingId', lazy: () => import('../features/panels/routes/panel-page').then((m) => ({ Component: m.PanelPage })) },
  {
    path: 'standard-setting/:studyId',
    lazy: () => import('../features/exam/standard-setting/routes/rating-page').then((m) => ({ Component: m.RatingPage })),
  },
];

/** Item review is open to reviewers and administrators alike. */
const itemReview: RouteObject[] = [
  { path: 'items', lazy: () => import('../features/bank/review/routes/review-queue-page').then((m) => ({ Component: m.ReviewQueuePage })) },
  {
    path: 'items/:itemId',
    lazy: () => import('../features/bank/review/routes/item-review-page').then((m) => ({ Component: m.ItemReviewPage })),
  },
];

const admin: RouteObject[] = [
  { index: true, lazy: () => import('./homes/admin-home').then((m) => ({ Component: m.AdminHome })) },
  { path: 'submissions', lazy: () => import('../features/review/admin/routes/board-page').then((m) => ({ Component: m.BoardPage })) },
  {
    path: 'submissions/:submissionId',
    lazy: () => import('../features/review/admin/routes/adjudication-page').then((m) => ({ Component: m.AdjudicationPage })),
  },
  {
    path: 'panels',
    lazy: () => import('../features/panels/admin/routes/admin-panels-page').then((m) => ({ Component: m.AdminPanelsPage })),
  },
  {
    path: 'certificates',
    lazy: () =>
      import('../features/certificates/admin/routes/admin-certificates-page').then((m) => ({ Component: m.AdminCertificatesPage })),
  },
  { path: 'exam', lazy: () => import('../features/exam/admin/routes/exam-admin-page').then((m) => ({ Component: m.ExamAdminPage })) },
  { path: 'attempts', lazy: () => import('../features/exam/admin/routes/attempts-page').then((m) => ({ Component: m.AttemptsPage })) },
  {
    path: 'exam/analysis',
    lazy: () => import('../features/exam/analysis/routes/analysis-page').then((m) => ({ Component: m.AnalysisPage })),
  },
  {
    path: 'exam/standard-setting',
    lazy: () => import('../features/exam/standard-setting/routes/studies-page').then((m) => ({ Component: m.StudiesPage })),
  },
  {
    path: 'exam/standard-setting/:studyId',
    lazy: () => import('../features/exam/standard-setting/routes/study-page').then((m) => ({ Component: m.StudyPage })),
  },
  { path: 'bank', lazy: () => import('../features/bank/routes/bank-page').then((m) => ({ Component: m.BankPage })) },
  { path: 'bank/:itemId', lazy: () => import('../features/bank/routes/bank-item-page').then((m) => ({ Component: m.BankItemPage })) },
  { path: 'mail', lazy: () => import('../features/mail/routes/mail-page').then((m) => ({ Component: m.MailPage })) },
  { path: 'people', lazy: () => import('../features/people/admin/routes/people-page').then((m) => ({ Component: m.PeoplePage })) },
  {
    path: 'people/:userId',
    lazy: () => import('../features/people/admin/routes/person-page').then((m) => ({ Component: m.PersonPage })),
  },
  { path: 'mail/:id', lazy: () => import('../features/mail/routes/mail-message-page').then((m) => ({ Component: m.MailMessagePage })) },
  { path: 'jobs', lazy: () => import('../features/operations/routes/jobs-page').then((m) => ({ Component: m.JobsPage })) },
  {
    path: 'name-changes',
    lazy: () => import('../features/people/admin/routes/name-changes-page').then((m) => ({ Component: m.NameChangesPage })),
  },
  {
    path: 'conflicts',
    lazy: () => import('../features/portfolio/admin/routes/conflicts-page').then((m) => ({ Component: m.ConflictsPage })),
  },
  { path: 'audit', lazy: () => import('../features/audit/routes/audit-page').then((m) => ({ Component: m.AuditPage })) },
];

export const routes: RouteObject[] = [
  {
    element: <Layout notices={<UnverifiedEmailBanner />} />,
    hydrateFallbackElement: <p role="status">Loading…</p>,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/register', element: <RegisterPage /> },
      { path: '/verify-email', element: <VerifyEmailPage /> },
      { path: '/confirm-email-change', element: <ConfirmEmailChangePage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      ...Object.entries(CREDENTIAL_PAGES).map(([code, path]) => ({
        path,
        element: <CredentialPage key={code} code={code as keyof typeof CREDENTIAL_PAGES} />,
      })),
      { path: '/framework', element: <FrameworkPage /> },
      { path: '/verify', element: <VerifyPage /> },
      { path: '/verify/:number', element: <VerifyPage /> },
      { path: '/holders/:slug', element: <HolderPage /> },
      {
        path: '/self-assessment',
        lazy: () => import('../features/self-assessment/routes/self-assessment-page').then((m) => ({ Component: m.SelfAssessmentPage })),
      },
      {
        path: '/account',
        // Open to a staff account that still has to enrol a second factor: enrolling happens here.
        element: <RequireRole role={['candidate', 'reviewer', 'admin']} enrolment />,
        children: [
          { index: true, lazy: () => import('../features/people/account/routes/account-page').then((m) => ({ Component: m.AccountPage })) },
          {
            path: 'data-export/:exportId',
            lazy: () => import('../features/people/account/routes/data-export-page').then((m) => ({ Component: m.DataExportPage })),
          },
        ],
      },
      { path: '/candidate', element: <RequireRole role="candidate" />, children: candidate },
      {
        path: '/reviewer',
        children: [
          { element: <RequireRole role="reviewer" />, children: reviewer },
          { element: <RequireRole role={['reviewer', 'admin']} />, children: itemReview },
        ],
      },
      { path: '/admin', element: <RequireRole role="admin" />, children: admin },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
