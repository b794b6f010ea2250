#pragma once
// A small radix-2 complex FFT for the watermark: the pattern is synthesised with it and the
// detector correlates blocks of one pattern period with it. Sizes are powers of two.

#include <complex>
#include <cstddef>
#include <vector>

namespace echoforge::watermark {

class Fft {
public:
    // Throws echoforge::Error when `size` is not a power of two of at least 2.
    explicit Fft(std::size_t size);

    std::size_t size() const { return size_; }

    // X[k] = sum_n x[n] e^{-2 pi i k n / N}, in place.
    void forward(std::vector<std::complex<double>>& data) const;
    // x[n] = sum_k X[k] e^{+2 pi i k n / N}, in place, without the 1/N factor.
    void inverseUnscaled(std::vector<std::complex<double>>& data) const;

private:
    void transform(std::vector<std::complex<double>>& data, bool inverse) const;

    std::size_t size_;
    std::vector<std::size_t> bitReversed_;
    std::vector<std::complex<double>> twiddles_;   // e^{-2 pi i k / N}, k < N/2
};

} // namespace echoforge::watermark
