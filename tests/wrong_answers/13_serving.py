"""Plausible wrong answers for chapter 13: each must make its exercise's tests fail."""
WRONG = {
    # forgets the version folder: exports straight into base_dir
    "ex1_export": (
        "def export_for_serving(model, base_dir, version):\n"
        "    Path(base_dir).mkdir(parents=True, exist_ok=True)\n"
        "    model.export(str(base_dir), verbose=False)\n"
        "    return Path(base_dir)\n"
    ),
    # TF1-era signature name, which model.export does not create
    "ex1_request": (
        "def make_rest_request(images):\n"
        "    return {'signature_name': 'predict', 'instances': np.asarray(images).tolist()}\n"
    ),
    # forgets to rescale the pixels to [0, 1]
    "ex2_preprocess": (
        "def preprocess_image(image_bytes):\n"
        "    img = Image.open(io.BytesIO(image_bytes)).convert('L').resize((8, 8))\n"
        "    return np.asarray(img, dtype='float32')[None, :, :, None]\n"
    ),
    # lets bad input crash the server (Flask turns the exception into a 500)
    "ex2_app": (
        "def create_digit_app(model):\n"
        "    app = Flask('digits')\n"
        "    @app.post('/predict')\n"
        "    def predict():\n"
        "        probs = model.predict(preprocess_image(request.get_data()), verbose=0)[0]\n"
        "        return jsonify(label=int(probs.argmax()), probability=float(probs.max()))\n"
        "    return app\n"
    ),
}
