# Written for nn-crosscheck's test corpus: the validation fragment of the
# book's chapter 11 as a learner saves it on its own, without the classes and
# without importing spiral_data (run alone, it stops with a NameError).

# Validate the model
# Create test dataset
X_test, y_test = spiral_data(samples=100, classes=3)

# Forward pass of the test data through the trained network
dense1.forward(X_test)
activation1.forward(dense1.output)
dense2.forward(activation1.output)
loss = loss_activation.forward(dense2.output, y_test)

# Accuracy on the test data
predictions = np.argmax(loss_activation.output, axis=1)
if len(y_test.shape) == 2:
    y_test = np.argmax(y_test, axis=1)
accuracy = np.mean(predictions == y_test)

print(f'validation, acc: {accuracy:.3f}, loss: {loss:.3f}')
