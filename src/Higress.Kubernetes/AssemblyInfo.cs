namespace Higress.Kubernetes;
